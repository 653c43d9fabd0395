package dev.herald.core.error;

public class NotFoundException extends HeraldException {
    public NotFoundException(String message) {
        super(message);
    }
}
