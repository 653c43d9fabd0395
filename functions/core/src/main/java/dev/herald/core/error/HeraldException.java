package dev.herald.core.error;

/** Base of the domain's exceptions; the HTTP layer maps each subtype to one status. */
public abstract class HeraldException extends RuntimeException {

    protected HeraldException(String message) {
        super(message);
    }

    protected HeraldException(String message, Throwable cause) {
        super(message, cause);
    }
}
