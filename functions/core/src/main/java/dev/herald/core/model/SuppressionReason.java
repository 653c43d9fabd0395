package dev.herald.core.model;

/** Why an address is on a message system's suppression list. */
public enum SuppressionReason {
    /** The recipient unsubscribed (one-click or the confirmation page). */
    UNSUBSCRIBED,
    /** The provider reported a permanent bounce. */
    BOUNCED,
    /** The recipient marked a mail as spam. */
    COMPLAINED,
    /** An admin put it there. */
    MANUAL
}
