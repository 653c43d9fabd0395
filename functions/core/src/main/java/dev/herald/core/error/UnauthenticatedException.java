package dev.herald.core.error;

/** The request carries no valid credentials. */
public class UnauthenticatedException extends HeraldException {
    public UnauthenticatedException(String message) {
        super(message);
    }
}
