package dev.herald.core.model;

public enum MessageStatus {
    SCHEDULED, SENDING, SENT, PARTIALLY_SENT, FAILED, CANCELLED,
    /** Its send-by limit passed before every recipient was sent; the rest never will be. */
    EXPIRED;

    /** Whether nothing more will happen to the message. */
    public boolean isFinal() {
        return this != SCHEDULED && this != SENDING;
    }
}
