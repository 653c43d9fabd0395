package dev.herald.core.dispatch;

import java.time.Duration;

/** How long a run may still work before it must checkpoint and hand over. */
@FunctionalInterface
public interface Deadline {

    Duration remaining();

    /** No deadline: the run works until it is done. */
    static Deadline none() {
        return () -> Duration.ofDays(365);
    }
}
