package dev.herald.core.model;

import java.time.Instant;
import java.util.List;

/** A slice of a message's recipients, claimed and recorded as one unit. */
public record Chunk(
        String messageId,
        int index,
        List<Recipient> recipients,
        ChunkState state,
        String runId,
        Instant updatedAt,
        long version) implements Versioned {

    public Chunk {
        recipients = List.copyOf(recipients);
    }

    public Chunk with(List<Recipient> newRecipients, ChunkState newState, String newRunId, Instant now) {
        return new Chunk(messageId, index, newRecipients, newState, newRunId, now, version);
    }

    public Counts counts() {
        return Counts.of(recipients);
    }

    /** This value as the store holds it after a successful update. */
    public Chunk withVersion(long newVersion) {
        return new Chunk(messageId, index, recipients, state, runId, updatedAt, newVersion);
    }
}
