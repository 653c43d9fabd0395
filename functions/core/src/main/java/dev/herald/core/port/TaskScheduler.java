package dev.herald.core.port;

import dev.herald.core.model.Task;

/**
 * Arms one-time triggers that fire the dispatch of a task at its {@code fireAt}. A trigger carries
 * only the task id. Every operation is idempotent: arming an armed task, or disarming one that is
 * gone, succeeds.
 */
public interface TaskScheduler {

    void arm(Task task);

    /** Moves the task's trigger to its (new) {@code fireAt}. */
    void rearm(Task task);

    void disarm(Task task);

    /** Starts a run of the task at once, in a fresh execution: an immediate send or a continuation. */
    void fireNow(Task task);

    /**
     * Starts {@code count} workers for the task's slices at once, each in a fresh execution of its own
     * (on AWS, an invocation of the send function), alongside the run that holds the task.
     */
    void fireWorkers(Task task, int count);
}
