package dev.herald.core.error;

/** A trigger could not be armed, moved or removed; the operation may be retried. */
public class SchedulerException extends HeraldException {
    public SchedulerException(String message, Throwable cause) {
        super(message, cause);
    }
}
