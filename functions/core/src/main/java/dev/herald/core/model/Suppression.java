package dev.herald.core.model;

import java.time.Instant;

/**
 * An address a message system sends nothing to any more: why, since when, and from which message
 * (null for one an admin added). {@code address} is the list's key: the address's key, as
 * {@code AddressRules.key} makes it.
 */
public record Suppression(String messageSystemId, String address, SuppressionReason reason, Instant at, String messageId) {
}
