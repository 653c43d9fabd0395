package dev.herald.core.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** How long a run may still work before it must checkpoint and hand over. */
@FunctionalInterface
public interface Deadline {

    Duration remaining();

    /** No deadline: the run works until it is done. */
    static Deadline none() {
        return () -> Duration.ofDays(365);
    }

    static Deadline at(Instant instant, Clock clock) {
        return () -> Duration.between(clock.instant(), instant);
    }
}
