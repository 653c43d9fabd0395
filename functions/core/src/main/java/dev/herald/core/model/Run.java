package dev.herald.core.model;

import java.time.Instant;

/** One execution of the dispatch for a task. */
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
        long version) implements Versioned {

    public Run finish(RunStatus newStatus, int newSent, int newFailed, int newUnknown, String newError, Instant now) {
        return new Run(id, taskId, messageId, trigger, newStatus, scheduledFor, startedAt, now,
                newSent, newFailed, newUnknown, newError, version);
    }

    /** This value as the store holds it after a successful update. */
    public Run withVersion(long newVersion) {
        return new Run(id, taskId, messageId, trigger, status, scheduledFor, startedAt, endedAt, sent, failed, unknown, error, newVersion);
    }
}
