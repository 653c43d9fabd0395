package dev.herald.core.dispatch;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveRateLimiterTest {

    /** Time that passes only when the limiter waits: what it waited is what the rate demands. */
    private static final class FakeTime implements TimeMeter, BlockingStrategy {
        long nanos;

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public void park(long nanosToPark) {
            nanos += nanosToPark;
        }
    }

    private final FakeTime time = new FakeTime();

    @Test
    void sendsAtMostTheConfiguredRate() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(10, 0.1, time, time);

        limiter.acquire(10); // the first second's burst
        limiter.acquire(50);

        assertThat(Duration.ofNanos(time.nanos)).isBetween(Duration.ofMillis(4900), Duration.ofMillis(5100));
    }

    @Test
    void fractionalRates_spaceSingleMails() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0.5, 0.1, time, time);

        limiter.acquire(3);

        assertThat(Duration.ofNanos(time.nanos)).isBetween(Duration.ofMillis(3900), Duration.ofMillis(4100));
    }

    @Test
    void throttlingHalvesTheRate_downToTheFloor_andSuccessRecoversIt() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(20, 2, time, time);

        limiter.onThrottled();
        assertThat(limiter.currentRate()).isEqualTo(10);
        limiter.onThrottled();
        limiter.onThrottled();
        limiter.onThrottled();
        assertThat(limiter.currentRate()).isEqualTo(2);

        limiter.acquire(2);
        long before = time.nanos;
        limiter.acquire(10);
        assertThat(Duration.ofNanos(time.nanos - before)).isBetween(Duration.ofMillis(4900), Duration.ofMillis(5100));

        for (int i = 0; i < 30; i++) {
            limiter.onUnthrottled();
        }
        assertThat(limiter.currentRate()).isEqualTo(20);
    }
}
