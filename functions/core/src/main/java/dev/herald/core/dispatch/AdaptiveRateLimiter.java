package dev.herald.core.dispatch;

import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;

/**
 * A token bucket (Bucket4j) holding the send rate of one message system, and the rate's control.
 * A throttle marks the rate as the provider's limit and backs off a tenth (half, when throttles come
 * within a second of each other: the rate is far above the limit). Each second without one, the
 * rate climbs back: quickly to nine tenths of the limit, then by half a percent of it a second, so
 * that the limit is touched rarely; past the limit unthrottled, the provider allows more now, and
 * the rate grows 5 % a second, up to the configured maximum.
 * <p>
 * It paces calls, not only mails: a provider's quota holds in every second, so a second's mails go
 * in {@code k} evenly spaced calls of {@link #batchSize} each, {@code k} the fewest calls that fit
 * the provider's batch limit. At 14/s that is one call of 14 a second, not 50 every 3.6 s. When
 * the rate is not a multiple of {@code k}, the remainder is left unused: less than one mail in 50.
 */
public final class AdaptiveRateLimiter {

    private static final long SECOND = 1_000_000_000L;
    private static final double NEAR_LIMIT = 0.9;
    private static final double PROBE = 0.005;
    private static final double REGROWTH = 1.05;

    private final double maxRate;
    private final double minRate;
    private final int maxBatch;
    private final Bucket bucket;
    private final BlockingStrategy blocking;
    private final TimeMeter time;
    private double rate;
    /** The rate the provider last throttled at: the configured maximum until it does. */
    private double limit;
    private long lastThrottle = Long.MIN_VALUE / 2;
    private long lastRaise = Long.MIN_VALUE / 2;

    /** For a provider that takes at most {@code maxBatch} mails in one call. */
    public AdaptiveRateLimiter(double maxRate, double minRate, int maxBatch) {
        this(maxRate, minRate, maxBatch, TimeMeter.SYSTEM_NANOTIME, BlockingStrategy.PARKING);
    }

    /** With a time source and a way to wait of the caller's choosing, so tests need not sleep. */
    public AdaptiveRateLimiter(double maxRate, double minRate, int maxBatch, TimeMeter time, BlockingStrategy blocking) {
        this.maxRate = maxRate;
        this.minRate = Math.min(minRate, maxRate);
        this.maxBatch = Math.max(1, maxBatch);
        this.rate = maxRate;
        this.limit = maxRate;
        this.blocking = blocking;
        this.time = time;
        Pace pace = Pace.of(maxRate, this.maxBatch);
        this.bucket = Bucket.builder().withCustomTimePrecision(time)
                .addLimit(limit -> limit.capacity(pace.batch()).refillGreedy(pace.batch(), pace.interval()))
                .build();
    }

    /** How many mails the next call may carry at the current rate. */
    public synchronized int batchSize() {
        return Pace.of(rate, maxBatch).batch();
    }

    /** Blocks until {@code permits} mails may be sent. */
    public void acquire(int permits) throws InterruptedException {
        for (int i = 0; i < permits; i++) {
            bucket.asBlocking().consume(1, blocking);
        }
    }

    public synchronized void onThrottled() {
        long now = time.currentTimeNanos();
        double backOff = now - lastThrottle < SECOND ? 0.5 : NEAR_LIMIT;
        limit = rate;
        lastThrottle = now;
        lastRaise = now;
        reconfigure(Math.max(minRate, rate * backOff));
    }

    public synchronized void onUnthrottled() {
        long now = time.currentTimeNanos();
        if (rate >= maxRate || now - lastRaise < SECOND) {
            return;
        }
        lastRaise = now;
        double target = limit * NEAR_LIMIT;
        double next = rate < target ? rate + Math.max((target - rate) / 2, limit * PROBE)
                : rate < limit ? rate + limit * PROBE
                : rate * REGROWTH;
        reconfigure(Math.min(maxRate, next));
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
        Pace pace = Pace.of(newRate, maxBatch);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(pace.batch()).refillGreedy(pace.batch(), pace.interval()))
                .build();
        bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
    }

    /**
     * A batch of mails every interval: at one mail a second or more, a second's whole mails in the
     * fewest calls of at most {@code maxBatch}, spaced evenly, so that no second holds more than the
     * rate; below it, one mail every {@code 1 / rate} seconds.
     */
    private record Pace(int batch, Duration interval) {
        static Pace of(double ratePerSecond, int maxBatch) {
            if (ratePerSecond < 1) {
                return new Pace(1, Duration.ofNanos(Math.round(1_000_000_000L / ratePerSecond)));
            }
            long perSecond = (long) Math.floor(ratePerSecond);
            long calls = (perSecond + maxBatch - 1) / maxBatch;
            // Rounded up: k intervals rounded down would fit k + 1 calls into one second.
            return new Pace((int) (perSecond / calls), Duration.ofNanos((1_000_000_000L + calls - 1) / calls));
        }
    }
}
