package dev.herald.core.model;

import java.time.Instant;

/**
 * One execution of the dispatch for a task. {@code openedBelow}: the chunks with a lower index are
 * the ones this run may have sent to, written before it opens any of them, so that a run taking over
 * from it knows which of the chunks left pending may have gone out in part.
 */
public record Run(
        String id,
        String taskId,
        String messageId,
        Trigger trigger,
        RunStatus status,
        Instant scheduledFor,
        Instant startedAt,
        Instant endedAt,
        int sent,
        int failed,
        int unknown,
        String error,
        int openedBelow,
        long version) implements Versioned {

    public Run finish(RunStatus newStatus, int newSent, int newFailed, int newUnknown, String newError, Instant now) {
        return new Run(id, taskId, messageId, trigger, newStatus, scheduledFor, startedAt, now,
                newSent, newFailed, newUnknown, newError, openedBelow, version);
    }

    public Run withOpenedBelow(int chunkIndex) {
        return new Run(id, taskId, messageId, trigger, status, scheduledFor, startedAt, endedAt, sent, failed, unknown,
                error, chunkIndex, version);
    }

    /** This value as the store holds it after a successful update. */
    public Run withVersion(long newVersion) {
        return new Run(id, taskId, messageId, trigger, status, scheduledFor, startedAt, endedAt, sent, failed, unknown, error,
                openedBelow, newVersion);
    }
}
