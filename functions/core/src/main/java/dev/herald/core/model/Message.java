package dev.herald.core.model;

import java.time.Instant;
import java.time.LocalDateTime;

/**
 * One bulk message: templates, send time, owner, status and counts as its runs recorded them (what the
 * provider reported since is in its chunks' feedback tallies). Recipients live in chunks.
 * {@code sendBy}, when set, is the instant after which nothing more of it is sent. {@code audience}, when set,
 * names the list its recipients come from (null: they were given with the request). {@code fanOut}, when set,
 * tells that its slices are sent by several workers: its counts are then its slices' (and, once it ends, their sum).
 * {@code origin}, when set, names the recurring schedule and occurrence it was made for. {@code sendWindows}, when
 * set, are the only times it is sent in; {@code dailyCap}, when set, the most mails it sends a day (its windows' day,
 * or its {@code timeZone}'s, or UTC's). {@code localSendAt}, when set, makes it a local-time message: each
 * recipient gets it at that date-time in their own zone (its {@code timeZone} for those without one), one task per
 * distinct instant; {@code sendAt} is then the earliest of them.
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
        LocalDateTime localSendAt,
        Instant sendBy,
        DeliveryGuarantee delivery,
        SendWindows sendWindows,
        Integer dailyCap,
        MessageStatus status,
        Counts counts,
        int chunkCount,
        Audience audience,
        FanOut fanOut,
        RecurringOrigin origin,
        Instant createdAt,
        Instant updatedAt,
        long version) implements Versioned {

    public Message withStatus(MessageStatus newStatus, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, localSendAt, sendBy, delivery, sendWindows, dailyCap,
                newStatus, counts, chunkCount, audience, fanOut, origin, createdAt, now, version);
    }

    public Message withCounts(Counts newCounts, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, localSendAt, sendBy, delivery, sendWindows, dailyCap,
                status, newCounts, chunkCount, audience, fanOut, origin, createdAt, now, version);
    }

    public Message withSendTime(Instant newSendAt, String newTimeZone, Instant newSendBy, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, newSendAt, newTimeZone, localSendAt, newSendBy, delivery, sendWindows, dailyCap,
                status, counts, chunkCount, audience, fanOut, origin, createdAt, now, version);
    }

    /** This local-time message moved to a new local date-time, its earliest instant now {@code newSendAt}. */
    public Message withLocalSendTime(Instant newSendAt, LocalDateTime newLocalSendAt, Instant newSendBy, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, newSendAt, timeZone, newLocalSendAt, newSendBy, delivery, sendWindows, dailyCap,
                status, counts, chunkCount, audience, fanOut, origin, createdAt, now, version);
    }

    /** This message with more of its list copied into chunks: {@code chunks} of them now, {@code counts} theirs. */
    public Message withAudience(Audience newAudience, int chunks, Counts newCounts, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, localSendAt, sendBy, delivery, sendWindows, dailyCap,
                status, newCounts, chunks, newAudience, fanOut, origin, createdAt, now, version);
    }

    public Message withFanOut(FanOut newFanOut, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, localSendAt, sendBy, delivery, sendWindows, dailyCap,
                status, counts, chunkCount, audience, newFanOut, origin, createdAt, now, version);
    }

    /** This value as the store holds it after a successful update. */
    public Message withVersion(long newVersion) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, localSendAt, sendBy, delivery, sendWindows, dailyCap, status, counts, chunkCount, audience, fanOut, origin, createdAt, updatedAt, newVersion);
    }
}
