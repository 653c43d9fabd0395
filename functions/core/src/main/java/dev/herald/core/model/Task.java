package dev.herald.core.model;

import java.time.Instant;

/** One (message, fire instant) pair, backed by one one-time trigger. */
public record Task(
        String id,
        String messageId,
        String messageSystemId,
        String category,
        Instant fireAt,
        TaskState state,
        String runId,
        Instant leaseUntil,
        Instant createdAt,
        Instant updatedAt,
        long version) implements Versioned {

    public Task withState(TaskState newState, String newRunId, Instant newLeaseUntil, Instant now) {
        return new Task(id, messageId, messageSystemId, category, fireAt, newState, newRunId, newLeaseUntil,
                createdAt, now, version);
    }

    public Task withFireAt(Instant newFireAt, TaskState newState, Instant now) {
        return new Task(id, messageId, messageSystemId, category, newFireAt, newState, null, null,
                createdAt, now, version);
    }

    /** Whether a run may take the task now: not yet taken, or taken by a run whose lease ran out. */
    public boolean isClaimable(Instant now) {
        return state == TaskState.PENDING || state == TaskState.ARMED
                || (state == TaskState.RUNNING && leaseUntil != null && !leaseUntil.isAfter(now));
    }

    /** This value as the store holds it after a successful update. */
    public Task withVersion(long newVersion) {
        return new Task(id, messageId, messageSystemId, category, fireAt, state, runId, leaseUntil, createdAt, updatedAt, newVersion);
    }
}
