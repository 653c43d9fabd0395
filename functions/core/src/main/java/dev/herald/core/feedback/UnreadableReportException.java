package dev.herald.core.feedback;

/** A report that is not one Herald can read; its message says why, never quoting an address. */
public final class UnreadableReportException extends RuntimeException {
    public UnreadableReportException(String reason) {
        super(reason);
    }
}
