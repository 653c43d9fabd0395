package dev.herald.core.model;

public enum MessageStatus {
    SCHEDULED, SENDING,
    /** Stopped by its owner at the next chunk, or before it fired; a resume carries on where it stopped. */
    PAUSED,
    SENT, PARTIALLY_SENT, FAILED, CANCELLED,
    /** Its send-by limit passed before every recipient was sent; the rest never will be. */
    EXPIRED;

    /** Whether nothing more will happen to the message. */
    public boolean isFinal() {
        return this != SCHEDULED && this != SENDING && this != PAUSED;
    }
}
