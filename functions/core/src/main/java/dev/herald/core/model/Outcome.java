package dev.herald.core.model;

import java.time.Instant;

/**
 * What happened to one recipient: the state, the provider's message id when sent, the error
 * class and a short detail when not.
 */
public record Outcome(RecipientState state, String providerMessageId, String error, Instant at) {

    public static Outcome sent(String providerMessageId, Instant at) {
        return new Outcome(RecipientState.SENT, providerMessageId, null, at);
    }

    public static Outcome failed(String error, Instant at) {
        return new Outcome(RecipientState.FAILED, null, error, at);
    }

    public static Outcome unknown(String reason, Instant at) {
        return new Outcome(RecipientState.UNKNOWN, null, reason, at);
    }

    public static Outcome expired(String reason, Instant at) {
        return new Outcome(RecipientState.EXPIRED, null, reason, at);
    }

    public static Outcome suppressed(Suppression entry, Instant at) {
        return new Outcome(RecipientState.SUPPRESSED, null, "Suppressed: on the suppression list since " + entry.at()
                + " (" + entry.reason() + ")", at);
    }

    public static Outcome cancelled(Instant at) {
        return new Outcome(RecipientState.CANCELLED, null, "Cancelled: the message was cancelled before this mail was sent", at);
    }
}
