package dev.herald.core.dispatch;

/** A run started by a firing, carried out once: the run holding a task, or a worker for its slices. */
interface Execution {

    String runId();

    String messageId();

    DispatchResult execute(Deadline deadline);
}
