package dev.herald.core.model;

import java.time.Instant;
import java.util.List;

/**
 * One (message, fire instant) pair, backed by one one-time trigger. A task sends its {@code chunks} of the message;
 * the tasks of a local-time message each name the {@code timeZones} whose recipients it sends (empty otherwise).
 */
public record Task(
        String id,
        String messageId,
        String messageSystemId,
        String category,
        Instant fireAt,
        ChunkRange chunks,
        List<String> timeZones,
        TaskState state,
        String runId,
        Instant leaseUntil,
        Instant createdAt,
        Instant updatedAt,
        long version) implements Versioned {

    public Task {
        // Stored before tasks had ranges: they send all of their message.
        chunks = chunks == null ? ChunkRange.ALL : chunks;
        timeZones = timeZones == null ? List.of() : List.copyOf(timeZones);
    }

    public Task withState(TaskState newState, String newRunId, Instant newLeaseUntil, Instant now) {
        return new Task(id, messageId, messageSystemId, category, fireAt, chunks, timeZones, newState, newRunId, newLeaseUntil,
                createdAt, now, version);
    }

    public Task withFireAt(Instant newFireAt, TaskState newState, Instant now) {
        return new Task(id, messageId, messageSystemId, category, newFireAt, chunks, timeZones, newState, null, null,
                createdAt, now, version);
    }

    /** Whether a run may take the task now: not yet taken, or taken by a run whose lease ran out. */
    public boolean isClaimable(Instant now) {
        return state == TaskState.PENDING || state == TaskState.ARMED
                || (state == TaskState.RUNNING && leaseUntil != null && !leaseUntil.isAfter(now));
    }

    /** This value as the store holds it after a successful update. */
    public Task withVersion(long newVersion) {
        return new Task(id, messageId, messageSystemId, category, fireAt, chunks, timeZones, state, runId, leaseUntil, createdAt, updatedAt, newVersion);
    }
}
