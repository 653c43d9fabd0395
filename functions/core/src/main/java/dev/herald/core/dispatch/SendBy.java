package dev.herald.core.dispatch;

import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The instant after which nothing more of a message is sent: its own {@code sendBy}, or else its
 * send time plus its message system's {@code maxLateness}. A restored backup, a stuck queue or a
 * laptop that slept through the night then sends nothing stale.
 */
record SendBy(Instant instant, String description) {

    static Optional<SendBy> of(Message message, MessageSystem system) {
        if (message.sendBy() != null) {
            return Optional.of(new SendBy(message.sendBy(), "its sendBy " + message.sendBy()));
        }
        Duration maxLateness = system == null ? null : system.scheduling().maxLateness();
        if (maxLateness == null) {
            return Optional.empty();
        }
        Instant limit = message.sendAt().plus(maxLateness);
        return Optional.of(new SendBy(limit, "the message system's maxLateness of " + maxLateness
                + " after its send time (" + limit + ")"));
    }

    boolean hasPassed(Instant now) {
        return now.isAfter(instant);
    }
}
