package dev.herald.core.error;

/** An {@code Idempotency-Key} was reused with a different request. */
public class IdempotencyMismatchException extends HeraldException {
    public IdempotencyMismatchException() {
        super("This Idempotency-Key was already used with a different request body.");
    }
}
