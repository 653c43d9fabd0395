package dev.herald.core.dispatch;

import java.time.Duration;

/** Waits: the system's sleep, or, in tests, a clock moved forward. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    static Sleeper system() {
        return duration -> Thread.sleep(Math.max(0, duration.toMillis()));
    }
}
