package dev.herald.core.model;

import java.time.Instant;

/**
 * One bulk message: templates, send time, owner, status and counts. Recipients live in chunks.
 * {@code sendBy}, when set, is the instant after which nothing more of it is sent.
 */
public record Message(
        String id,
        String ownerId,
        String messageSystemId,
        String subject,
        String text,
        String html,
        Instant sendAt,
        String timeZone,
        Instant sendBy,
        DeliveryGuarantee delivery,
        MessageStatus status,
        Counts counts,
        int chunkCount,
        Instant createdAt,
        Instant updatedAt,
        long version) implements Versioned {

    public Message withStatus(MessageStatus newStatus, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery,
                newStatus, counts, chunkCount, createdAt, now, version);
    }

    public Message withCounts(Counts newCounts, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery,
                status, newCounts, chunkCount, createdAt, now, version);
    }

    public Message withSendTime(Instant newSendAt, String newTimeZone, Instant newSendBy, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, newSendAt, newTimeZone, newSendBy, delivery,
                status, counts, chunkCount, createdAt, now, version);
    }

    /** This value as the store holds it after a successful update. */
    public Message withVersion(long newVersion) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery, status, counts, chunkCount, createdAt, updatedAt, newVersion);
    }
}
