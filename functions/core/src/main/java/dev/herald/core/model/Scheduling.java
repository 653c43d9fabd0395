package dev.herald.core.model;

import java.time.Duration;

/**
 * The scheduling settings of a message system. {@code category} names the schedule group its
 * tasks go into; without scheduling only immediate sends are accepted. {@code maxLateness}, when
 * set, is how long after its send time a message may still be sent, unless it has its own sendBy.
 * {@code sendWindows}, when set, are the times its messages without windows of their own are sent in;
 * {@code dailyCap}, when set, the most mails all its messages send a day (in its windows' zone, or UTC).
 */
public record Scheduling(boolean enabled, String category, Duration maxLateness, SendWindows sendWindows,
                         Integer dailyCap) {

    /** Scheduling without send windows or a daily cap. */
    public Scheduling(boolean enabled, String category, Duration maxLateness) {
        this(enabled, category, maxLateness, null, null);
    }
}
