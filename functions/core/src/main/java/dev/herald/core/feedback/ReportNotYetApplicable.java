package dev.herald.core.feedback;

/**
 * The report's recipient is in a chunk that is still being sent: its outcome is not recorded yet.
 * Whoever delivered the report should deliver it again later (Lambda retries an asynchronous event).
 */
public final class ReportNotYetApplicable extends RuntimeException {
    public ReportNotYetApplicable(String reason) {
        super(reason);
    }
}
