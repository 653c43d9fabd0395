package dev.herald.core.model;

public enum RecipientState {
    PENDING, SENT, FAILED, UNKNOWN,
    /** The message was cancelled before this recipient's mail was sent: it never will be. */
    CANCELLED,
    /** The message's send-by limit passed before this recipient's mail was sent: it never will be. */
    EXPIRED,
    /** On the message system's suppression list when its turn came: not sent, and not a failure. */
    SUPPRESSED
}
