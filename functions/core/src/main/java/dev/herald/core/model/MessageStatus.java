package dev.herald.core.model;

public enum MessageStatus {
    SCHEDULED, SENDING, SENT, PARTIALLY_SENT, FAILED, CANCELLED;

    /** Whether nothing more will happen to the message. */
    public boolean isFinal() {
        return this != SCHEDULED && this != SENDING;
    }
}
