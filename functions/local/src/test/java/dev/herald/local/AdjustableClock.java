package dev.herald.local;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The wall clock of a local runtime under test, moved forward by the test: the embedded scheduler
 * compares its triggers with it every second, so a message due in two minutes fires as soon as the
 * test moves the clock past its instant, without waiting for it.
 */
@Singleton
@Replaces(Clock.class)
@Requires(property = AdjustableClock.ENABLED, value = "true")
final class AdjustableClock extends Clock {

    static final String ENABLED = "herald.test.adjustable-clock";

    private final Clock system = Clock.systemUTC();
    private volatile Duration ahead = Duration.ZERO;

    synchronized void advance(Duration by) {
        ahead = ahead.plus(by);
    }

    @Override
    public Instant instant() {
        return system.instant().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(system.withZone(zone), ahead);
    }
}
