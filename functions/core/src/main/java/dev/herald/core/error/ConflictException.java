package dev.herald.core.error;

/** The request is valid but the resource's state does not allow it (e.g. rescheduling a sent message). */
public class ConflictException extends HeraldException {
    public ConflictException(String message) {
        super(message);
    }
}
