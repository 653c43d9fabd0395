package dev.herald.core.model;

import java.time.Instant;

/**
 * A run of consecutive chunks of a message that is sent by several workers at once: the unit a worker
 * claims (a conditional write, with a lease it renews), sends and records. {@code counts} are its
 * recipients' outcomes as its workers recorded them; the message's counts are the sum over its slices
 * while they are sent. {@code openedBelow}: the chunks below this index may have been sent to by a
 * worker that died before it saved them, written before the worker opens them (as a run's own bound).
 */
public record Slice(
        String messageId,
        int index,
        int fromChunk,
        int toChunk,
        SliceState state,
        String runId,
        Instant leaseUntil,
        int openedBelow,
        Counts counts,
        Instant updatedAt,
        long version) implements Versioned {

    /** Whether a worker may claim it now: never claimed, handed back, or claimed by a worker whose lease ran out. */
    public boolean isClaimable(Instant now) {
        return state == SliceState.OPEN || state == SliceState.CLAIMED && leaseUntil != null && leaseUntil.isBefore(now);
    }

    public Slice claimedBy(String newRunId, Instant newLeaseUntil, Instant now) {
        return new Slice(messageId, index, fromChunk, toChunk, SliceState.CLAIMED, newRunId, newLeaseUntil, openedBelow,
                counts, now, version);
    }

    public Slice withLease(Instant newLeaseUntil, Instant now) {
        return new Slice(messageId, index, fromChunk, toChunk, state, runId, newLeaseUntil, openedBelow, counts, now, version);
    }

    public Slice withOpenedBelow(int chunkIndex, Instant now) {
        return new Slice(messageId, index, fromChunk, toChunk, state, runId, leaseUntil, chunkIndex, counts, now, version);
    }

    public Slice withCounts(Counts newCounts, Instant now) {
        return new Slice(messageId, index, fromChunk, toChunk, state, runId, leaseUntil, openedBelow, newCounts, now, version);
    }

    /** Ended by its worker: {@code DONE}, or handed back {@code OPEN} for another (its bound kept). */
    public Slice released(SliceState newState, Instant now) {
        return new Slice(messageId, index, fromChunk, toChunk, newState, null, null, openedBelow, counts, now, version);
    }

    /** This value as the store holds it after a successful update. */
    public Slice withVersion(long newVersion) {
        return new Slice(messageId, index, fromChunk, toChunk, state, runId, leaseUntil, openedBelow, counts, updatedAt,
                newVersion);
    }
}
