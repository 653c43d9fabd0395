package dev.herald.core.model;

public enum RunStatus {
    RUNNING,
    /** Every chunk is done. */
    COMPLETED,
    /** Checkpointed before its deadline; another run carries on. */
    CONTINUED,
    /** Stopped because the message was cancelled. */
    CANCELLED,
    /** Stopped because the message was paused; a resume starts the next run. */
    PAUSED,
    /** Stopped because the message's send windows closed or its day's cap was reached; its task fires again when it may go on. */
    WAITING,
    /** Stopped because the message's send-by limit had passed. */
    EXPIRED,
    /** Could not send at all (message system gone, job account undecryptable, ...). */
    FAILED
}
