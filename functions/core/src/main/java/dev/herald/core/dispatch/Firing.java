package dev.herald.core.dispatch;

import org.slf4j.MDC;

/**
 * A task that has fired: either already ended (duplicate, stale, unknown: no run) or claimed by
 * a run that {@link #complete} carries out.
 */
public final class Firing {

    private final DispatchResult ended;
    private final Execution run;
    private final String taskId;

    private Firing(DispatchResult ended, Execution run, String taskId) {
        this.ended = ended;
        this.run = run;
        this.taskId = taskId;
    }

    public static Firing ended(DispatchResult result) {
        return new Firing(result, null, null);
    }

    static Firing started(Execution run, String taskId) {
        return new Firing(null, run, taskId);
    }

    /** Whether a run claimed the task and is waiting to deliver it. */
    public boolean claimed() {
        return run != null;
    }

    /** Delivers the claimed task, or answers how the firing ended. Call once. */
    public DispatchResult complete(Deadline deadline) {
        if (run == null) {
            return ended;
        }
        MDC.put("taskId", taskId);
        MDC.put("messageId", run.messageId());
        MDC.put("runId", run.runId());
        try {
            return run.execute(deadline);
        } finally {
            MDC.remove("taskId");
            MDC.remove("messageId");
            MDC.remove("runId");
        }
    }
}
