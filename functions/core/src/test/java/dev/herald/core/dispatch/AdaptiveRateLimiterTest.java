package dev.herald.core.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveRateLimiterTest {

    /** Time that passes only when the limiter waits: what it waited is what the rate demands. */
    private static final class FakeTime implements java.util.function.LongSupplier, Sleeper {
        long nanos;

        @Override
        public long getAsLong() {
            return nanos;
        }

        @Override
        public void sleep(Duration duration) {
            nanos += duration.toNanos();
        }
    }

    private final FakeTime time = new FakeTime();

    /** Takes {@code mails} through the gate, in calls as large as it allows. */
    private static void acquire(AdaptiveRateLimiter limiter, int mails) throws InterruptedException {
        for (int left = mails; left > 0; ) {
            left -= limiter.acquireUpTo(left);
        }
    }

    @Test
    void sendsAtMostTheConfiguredRate() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(10, 0.1, time, time);

        acquire(limiter, 10); // the first second's burst
        acquire(limiter, 50);

        assertThat(Duration.ofNanos(time.nanos)).isBetween(Duration.ofMillis(4900), Duration.ofMillis(5100));
    }

    @Test
    void fractionalRates_spaceSingleMails() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(0.5, 0.1, time, time);

        acquire(limiter, 3);

        assertThat(Duration.ofNanos(time.nanos)).isBetween(Duration.ofMillis(3900), Duration.ofMillis(4100));
    }

    @Test
    void throttlesInQuickSuccessionHalveTheRate_downToTheFloor_andAMinuteOrSoUnthrottledRecoversIt()
            throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(20, 2, time, time);

        limiter.onThrottled();
        assertThat(limiter.currentRate()).as("a tenth less after one throttle").isEqualTo(18);
        limiter.onThrottled();
        assertThat(limiter.currentRate()).as("half after another within the second").isEqualTo(9);
        limiter.onThrottled();
        limiter.onThrottled();
        limiter.onThrottled();
        assertThat(limiter.currentRate()).isEqualTo(2);
        limiter.onUnthrottled();
        assertThat(limiter.currentRate()).as("no raise within the second of a throttle").isEqualTo(2);

        acquire(limiter, 2);
        long before = time.nanos;
        acquire(limiter, 10);
        assertThat(Duration.ofNanos(time.nanos - before)).isBetween(Duration.ofMillis(4900), Duration.ofMillis(5100));

        for (int second = 0; second < 90; second++) {
            time.nanos += 1_000_000_000L;
            limiter.onUnthrottled();
        }
        assertThat(limiter.currentRate()).isEqualTo(20);
    }

    /** Sends as the dispatch does for {@code seconds}: a batch of the size it is told, once the limiter lets it. */
    private java.util.List<long[]> sendFor(AdaptiveRateLimiter limiter, int seconds) throws InterruptedException {
        java.util.List<long[]> calls = new java.util.ArrayList<>();
        while (true) {
            int batch = limiter.acquireUpTo(50);
            if (time.nanos >= seconds * 1_000_000_000L) {
                return calls;
            }
            calls.add(new long[]{time.nanos, batch});
        }
    }

    /** The most mails any one-second window [t, t + 1 s) holds, t at each call. */
    private static long busiestSecond(java.util.List<long[]> calls) {
        long busiest = 0;
        for (long[] start : calls) {
            busiest = Math.max(busiest, calls.stream().filter(c -> c[0] >= start[0] && c[0] < start[0] + 1_000_000_000L)
                    .mapToLong(c -> c[1]).sum());
        }
        return busiest;
    }

    @Test
    void callsArePaced_noSecondHoldsMoreThanTheRate_andEveryMinuteIsWithinTwoPercentOfIt() throws InterruptedException {
        for (int rate : new int[]{1, 14, 50, 51, 70, 100, 149, 1000}) {
            time.nanos = 0;
            AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(rate, 0.1, time, time);

            java.util.List<long[]> calls = sendFor(limiter, 120);

            assertThat(calls).as("%d/s", rate).allSatisfy(c -> assertThat(c[1]).isBetween(1L, 50L));
            assertThat(busiestSecond(calls)).as("the busiest second at %d/s", rate).isLessThanOrEqualTo(rate);
            for (int minute = 0; minute < 2; minute++) {
                long from = minute * 60_000_000_000L;
                long sent = calls.stream().filter(c -> c[0] >= from && c[0] < from + 60_000_000_000L).mapToLong(c -> c[1]).sum();
                assertThat((double) sent).as("minute %d at %d/s", minute, rate).isBetween(rate * 60 * 0.98, rate * 60 * 1.02);
            }
        }
    }

    @Test
    void at14PerSecond_eachCallCarries14_oneASecond_notFiftyEveryThreeAndAHalfSeconds() throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(14, 0.1, time, time);

        java.util.List<long[]> calls = sendFor(limiter, 10);

        assertThat(calls).extracting(c -> c[1]).containsOnly(14L);
        assertThat(calls).hasSize(10); // a call a second (and a millisecond: the provider's clock is a little later)
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[0] - calls.get(i - 1)[0]).isBetween(1_000_000_000L, 1_001_000_000L);
        }
    }

    /** A provider that takes at most {@code quota} mails in any second (a sliding window) and throttles a call beyond it. */
    private static final class EnforcingProvider {
        private final int quota;
        private final java.util.ArrayDeque<long[]> accepted = new java.util.ArrayDeque<>();

        EnforcingProvider(int quota) {
            this.quota = quota;
        }

        boolean accepts(long now, int mails) {
            while (!accepted.isEmpty() && accepted.peekFirst()[0] <= now - 1_000_000_000L) {
                accepted.removeFirst();
            }
            long inWindow = accepted.stream().mapToLong(a -> a[1]).sum();
            if (inWindow + mails > quota) {
                return false;
            }
            accepted.addLast(new long[]{now, mails});
            return true;
        }
    }

    @Test
    void askedForTenTimesWhatTheProviderTakes_itSettlesAbove90PercentWithin10s_andRarelyHitsTheLimitAfter()
            throws InterruptedException {
        EnforcingProvider provider = new EnforcingProvider(100);
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(1000, 1, time, time);
        long settled = 10_000_000_000L;
        long end = 120_000_000_000L;
        long[] acceptedPerSecond = new long[120];
        int callsAfter = 0;
        int throttledAfter = 0;

        while (time.nanos < end) {
            int batch = limiter.acquireUpTo(50);
            if (time.nanos >= end) {
                break;
            }
            boolean accepted = provider.accepts(time.nanos, batch);
            if (accepted) {
                limiter.onUnthrottled();
                acceptedPerSecond[(int) (time.nanos / 1_000_000_000L)] += batch;
            } else {
                limiter.onThrottled();
            }
            if (time.nanos >= settled) {
                callsAfter++;
                throttledAfter += accepted ? 0 : 1;
            }
        }

        for (int second = 10; second + 10 <= 120; second += 10) {
            long sent = java.util.stream.LongStream.of(acceptedPerSecond).skip(second).limit(10).sum();
            assertThat(sent).as("mails accepted in seconds %d-%d", second, second + 10).isGreaterThanOrEqualTo(900);
        }
        assertThat((double) throttledAfter / callsAfter).as("throttled calls after 10 s").isLessThanOrEqualTo(0.05);
    }

    @Test
    void chunksOf100At14PerSecond_theirShortLastCallsNeverPushASecondOverTheRate_norLeaveItUnused()
            throws InterruptedException {
        AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(14, 0.1, time, time);
        java.util.List<long[]> calls = new java.util.ArrayList<>();

        for (int chunk = 0; chunk < 10; chunk++) { // 1,000 mails: 100 a chunk, 7 x 14 and a call of 2 would be naive
            for (int left = 100; left > 0; ) {
                int call = limiter.acquireUpTo(Math.min(left, 50));
                calls.add(new long[]{time.nanos, call});
                left -= call;
            }
        }

        assertThat(busiestSecond(calls)).isLessThanOrEqualTo(14);
        long firstMinute = calls.stream().filter(c -> c[0] < 60_000_000_000L).mapToLong(c -> c[1]).sum();
        assertThat(firstMinute).isBetween(14L * 59, 14L * 60);
    }
}
