package dev.herald.core.error;

public class ForbiddenException extends HeraldException {
    public ForbiddenException(String message) {
        super(message);
    }
}
