package dev.herald.core.model;

import java.time.Instant;
import java.util.Locale;

/**
 * An address a message system sends nothing to any more: why, since when, and from which message
 * (null for one an admin added). {@code address} is the list's key, {@link #key(String)}.
 */
public record Suppression(String messageSystemId, String address, SuppressionReason reason, Instant at, String messageId) {

    /** The key an address is listed under: the address as Herald keeps it, in lower case. */
    public static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }
}
