package dev.herald.core.model;

/** Why a run started. */
public enum Trigger {
    /** The task's one-time trigger fired. */
    SCHEDULE,
    /** No send time: delivered at once. */
    IMMEDIATE,
    /** A run near its deadline checkpointed and handed over. */
    CONTINUATION,
    /** A restart or a reconciler found the task overdue or its run dead. */
    RECOVERY,
    /** The run holding a fanned-out task started one more worker for its slices. */
    WORKER
}
