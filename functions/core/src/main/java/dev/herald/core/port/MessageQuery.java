package dev.herald.core.port;

import dev.herald.core.model.MessageStatus;

/**
 * A page of messages, newest first. {@code ownerId} null means every owner's; {@code cursor} is
 * the opaque {@code nextCursor} of the previous page, or null for the first.
 */
public record MessageQuery(String ownerId, MessageStatus status, int limit, String cursor) {
}
