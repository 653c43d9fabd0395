package dev.herald.core.error;

import java.util.List;

/** The request is invalid; every field at fault is listed. Nothing was stored. */
public class ValidationException extends HeraldException {

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super("The request is invalid: " + errors.size() + " field(s) at fault.");
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
