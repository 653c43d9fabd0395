package dev.herald.core.model;

public enum TaskState {
    /** Stored, trigger not yet armed (or being re-armed). */
    PENDING,
    /** Trigger armed; also the state a checkpointed task waits in for its continuation. */
    ARMED,
    /** Claimed by a run until {@code leaseUntil}. */
    RUNNING,
    /** Its message is paused: no trigger armed, none claims it, until a resume arms it again. */
    PAUSED,
    DONE,
    CANCELLED;

    public boolean isFinal() {
        return this == DONE || this == CANCELLED;
    }
}
