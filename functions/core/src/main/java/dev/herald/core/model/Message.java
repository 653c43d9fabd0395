package dev.herald.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One bulk message: templates, send time, owner, status and counts. Recipients live in chunks.
 * {@code sendBy}, when set, is the instant after which nothing more of it is sent. {@code audience}, when set,
 * names the list its recipients come from (null: they were given with the request).
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
        Map<Integer, FeedbackTally> feedback,
        int chunkCount,
        Audience audience,
        Instant createdAt,
        Instant updatedAt,
        long version) implements Versioned {

    public Message {
        feedback = feedback == null ? Map.of() : feedback;
    }

    /**
     * The recipients by outcome: as the runs recorded them, and what the provider reported since
     * from the tallies of the chunks (which only feedback writes).
     */
    public Counts counts() {
        return counts.withFeedbackOf(feedback.values().stream().map(FeedbackTally::counts).reduce(Counts.ZERO, Counts::plus));
    }

    /** This message with a chunk's newer tally; unchanged when the tally it holds is as new or newer. */
    public Message withFeedback(int chunkIndex, FeedbackTally tally, Instant now) {
        FeedbackTally held = feedback.get(chunkIndex);
        if (held != null && held.chunkVersion() >= tally.chunkVersion()) {
            return this;
        }
        Map<Integer, FeedbackTally> tallies = new TreeMap<>(feedback);
        tallies.put(chunkIndex, tally);
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery,
                status, counts, Map.copyOf(tallies), chunkCount, audience, createdAt, now, version);
    }

    public Message withStatus(MessageStatus newStatus, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery,
                newStatus, counts, feedback, chunkCount, audience, createdAt, now, version);
    }

    public Message withCounts(Counts newCounts, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery,
                status, newCounts, feedback, chunkCount, audience, createdAt, now, version);
    }

    public Message withSendTime(Instant newSendAt, String newTimeZone, Instant newSendBy, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, newSendAt, newTimeZone, newSendBy, delivery,
                status, counts, feedback, chunkCount, audience, createdAt, now, version);
    }

    /** This message with more of its list copied into chunks: {@code chunks} of them now, {@code counts} theirs. */
    public Message withAudience(Audience newAudience, int chunks, Counts newCounts, Instant now) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery,
                status, newCounts, feedback, chunks, newAudience, createdAt, now, version);
    }

    /** This value as the store holds it after a successful update. */
    public Message withVersion(long newVersion) {
        return new Message(id, ownerId, messageSystemId, subject, text, html, sendAt, timeZone, sendBy, delivery, status, counts, feedback, chunkCount, audience, createdAt, updatedAt, newVersion);
    }
}
