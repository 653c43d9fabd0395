package dev.herald.core.unsubscribe;

/** Whom an unsubscribe link stops: an address (its key, as suppression lists hold it) of a message system, from a message. */
public record UnsubscribeTarget(String messageSystemId, String address, String messageId) {
}
