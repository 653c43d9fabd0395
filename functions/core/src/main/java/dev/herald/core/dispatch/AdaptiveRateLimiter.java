package dev.herald.core.dispatch;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;

/**
 * A token bucket (Bucket4j) holding the send rate of one message system. When the provider
 * throttles, the rate halves (down to a floor); every unthrottled batch raises it again by a
 * twentieth of the configured maximum (additive increase, multiplicative decrease).
 */
public final class AdaptiveRateLimiter {

    private static final double INCREASE_FRACTION = 0.05;

    private final double maxRate;
    private final double minRate;
    private final Bucket bucket;
    private final BlockingStrategy blocking;
    private double rate;

    public AdaptiveRateLimiter(double maxRate, double minRate) {
        this(maxRate, minRate, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /** With a time source and a way to wait of the caller's choosing, so tests need not sleep. */
    public AdaptiveRateLimiter(double maxRate, double minRate, TimeMeter time, BlockingStrategy blocking) {
        this.maxRate = maxRate;
        this.minRate = Math.min(minRate, maxRate);
        this.rate = maxRate;
        this.blocking = blocking;
        this.bucket = Bucket.builder().withCustomTimePrecision(time)
                .addLimit(limit -> limit.capacity(capacity(maxRate)).refillGreedy(capacity(maxRate), period(maxRate)))
                .build();
    }

    /** Blocks until {@code permits} mails may be sent. */
    public void acquire(int permits) throws InterruptedException {
        for (int i = 0; i < permits; i++) {
            bucket.asBlocking().consume(1, blocking);
        }
    }

    public synchronized void onThrottled() {
        reconfigure(Math.max(minRate, rate / 2));
    }

    public synchronized void onUnthrottled() {
        if (rate < maxRate) {
            reconfigure(Math.min(maxRate, rate + maxRate * INCREASE_FRACTION));
        }
    }

    public synchronized double currentRate() {
        return rate;
    }

    public double maxRate() {
        return maxRate;
    }

    private void reconfigure(double newRate) {
        if (newRate == rate) {
            return;
        }
        rate = newRate;
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity(newRate)).refillGreedy(capacity(newRate), period(newRate)))
                .build();
        bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
    }

    /** A second's worth of tokens, at least one: bursts never exceed the per-second rate. */
    private static long capacity(double ratePerSecond) {
        return Math.max(1, (long) Math.floor(ratePerSecond));
    }

    private static Duration period(double ratePerSecond) {
        return Duration.ofNanos(Math.round(capacity(ratePerSecond) / ratePerSecond * 1_000_000_000L));
    }
}
