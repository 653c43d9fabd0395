package dev.herald.core.error;

/** The store failed (unreachable, throttled, corrupt); the operation may be retried. */
public class StoreException extends HeraldException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
