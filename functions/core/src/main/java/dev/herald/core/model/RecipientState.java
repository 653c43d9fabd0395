package dev.herald.core.model;

public enum RecipientState {
    PENDING, SENT, FAILED, UNKNOWN,
    /** The message was cancelled before this recipient's mail was sent: it never will be. */
    CANCELLED,
    /** The message's send-by limit passed before this recipient's mail was sent: it never will be. */
    EXPIRED,
    /** On the message system's suppression list when its turn came: not sent, and not a failure. */
    SUPPRESSED,
    /** Sent, and the provider reported it delivered to the recipient's mail server. */
    DELIVERED,
    /** Sent, and the provider reported a permanent bounce: the address is suppressed. */
    BOUNCED,
    /** Sent, and the recipient marked it as spam: the address is suppressed. */
    COMPLAINED,
    /** Sent, and the provider did not deliver it after all (a virus found, a template it could not render). */
    REJECTED;

    /** Whether the provider accepted the mail: sent, whatever it reported of it later. */
    public boolean isSent() {
        return this == SENT || this == DELIVERED || this == BOUNCED || this == COMPLAINED || this == REJECTED;
    }
}
