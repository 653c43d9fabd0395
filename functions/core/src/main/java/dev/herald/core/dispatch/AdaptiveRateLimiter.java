package dev.herald.core.dispatch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * The send rate of one message system: a gate on mails, and the rate's control.
 * <p>
 * The gate counts the mails of the last second (a sliding window): a provider's quota holds in
 * every second, and a token bucket cannot promise that, since it lets its capacity through on top
 * of what it refills (a short call at the end of one chunk and a full one at the start of the next
 * would go out together). Below one mail a second, mails go one at a time, evenly spaced.
 * <p>
 * The control: a throttle marks the rate as the provider's limit and backs off a tenth (half, when
 * throttles come within a second of each other: the rate is far above the limit). Each second
 * without one, the rate climbs back: quickly to nine tenths of the limit, then by half a percent of
 * it a second, so that the limit is touched rarely; past the limit unthrottled, the provider allows
 * more now, and the rate grows 5 % a second, up to the configured maximum.
 */
public final class AdaptiveRateLimiter {

    private static final long SECOND = 1_000_000_000L;
    /**
     * How long a call counts: a second and a millisecond. The provider counts a call when it arrives,
     * a little after this gate lets it go and never exactly as late each time; calls a second apart
     * here could arrive a few microseconds less than a second apart there.
     */
    private static final long WINDOW = SECOND + 1_000_000L;
    private static final long NEVER = Long.MIN_VALUE / 2;
    private static final double NEAR_LIMIT = 0.9;
    private static final double PROBE = 0.005;
    private static final double REGROWTH = 1.05;

    private final double maxRate;
    private final double minRate;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** The calls of the last second: when, and how many mails. */
    private final ArrayDeque<long[]> lastSecond = new ArrayDeque<>();
    private int inLastSecond;
    private long lastCall = NEVER;
    private double rate;
    /** The rate the provider last throttled at: the configured maximum until it does. */
    private double limit;
    private long lastThrottle = NEVER;
    private long lastRaise = NEVER;

    /** With a time source and a way to wait: the dispatch's own, so that tests control both. */
    public AdaptiveRateLimiter(double maxRate, double minRate, LongSupplier nanoTime, Sleeper sleeper) {
        this.maxRate = maxRate;
        this.minRate = Math.min(minRate, maxRate);
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.rate = maxRate;
        this.limit = maxRate;
    }

    /**
     * Waits until a mail may go, then takes as many as the last second leaves room for, up to
     * {@code wanted} (at most a call's worth): the size of the next call.
     */
    public int acquireUpTo(int wanted) throws InterruptedException {
        while (true) {
            long wait;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                wait = untilRoom(now);
                if (wait <= 0) {
                    int granted = rate < 1 ? 1 : Math.min(wanted, (int) Math.floor(rate) - inLastSecond);
                    lastSecond.addLast(new long[]{now, granted});
                    inLastSecond += granted;
                    lastCall = now;
                    return granted;
                }
            }
            sleeper.sleep(Duration.ofNanos(wait));
        }
    }

    /** How long until a mail may go (zero or less: now), the window's old calls dropped. */
    private long untilRoom(long now) {
        if (rate < 1) {
            return lastCall == NEVER ? 0 : lastCall + Math.round(SECOND / rate) - now;
        }
        while (!lastSecond.isEmpty() && lastSecond.peekFirst()[0] <= now - WINDOW) {
            inLastSecond -= (int) lastSecond.removeFirst()[1];
        }
        return inLastSecond < Math.floor(rate) ? 0 : lastSecond.peekFirst()[0] + WINDOW - now;
    }

    public synchronized void onThrottled() {
        long now = nanoTime.getAsLong();
        double backOff = now - lastThrottle < SECOND ? 0.5 : NEAR_LIMIT;
        limit = rate;
        lastThrottle = now;
        lastRaise = now;
        rate = Math.max(minRate, rate * backOff);
    }

    public synchronized void onUnthrottled() {
        long now = nanoTime.getAsLong();
        if (rate >= maxRate || now - lastRaise < SECOND) {
            return;
        }
        lastRaise = now;
        double target = limit * NEAR_LIMIT;
        double next = rate < target ? rate + Math.max((target - rate) / 2, limit * PROBE)
                : rate < limit ? rate + limit * PROBE
                : rate * REGROWTH;
        rate = Math.min(maxRate, next);
    }

    public synchronized double currentRate() {
        return rate;
    }

    public double maxRate() {
        return maxRate;
    }
}
