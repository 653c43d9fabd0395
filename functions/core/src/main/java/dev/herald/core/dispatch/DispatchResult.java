package dev.herald.core.dispatch;

import dev.herald.core.model.Counts;

/** How a firing ended; {@code runId} is null when no run was recorded. */
public record DispatchResult(Outcome outcome, String runId, Counts runCounts) {

    public enum Outcome {
        /** No such task (deleted, or never stored): nothing to do. */
        UNKNOWN_TASK,
        /** The task is done, cancelled or claimed by a live run: a duplicate firing, nothing recorded. */
        DUPLICATE,
        /** The firing came well before the task's instant (the task was rescheduled): ignored. */
        STALE,
        COMPLETED,
        /** Checkpointed before the deadline; a continuation carries on. */
        CONTINUED,
        CANCELLED,
        /** The message was paused: the task waits, disarmed, for a resume. */
        PAUSED,
        /** The message's send windows were closed, or its day's cap reached: its task is armed for when it may go on. */
        WAITING,
        /** The message's send-by limit had passed: the rest of it was not sent. */
        EXPIRED,
        /** Nothing could be sent (message system gone, job account undecryptable, ...). */
        FAILED,
        /** Another run took the task over (this run's lease had run out): this run stopped. */
        LOST_CLAIM
    }

    static DispatchResult withoutRun(Outcome outcome) {
        return new DispatchResult(outcome, null, Counts.ZERO);
    }
}
