package dev.herald.console;

import dev.herald.core.error.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The API's problems placed at a form's fields: each in the API's words, several at one field joined. */
final class FormErrors {

    private FormErrors() {
    }

    /** {@code toFormField} names the form field an API field is typed in (and may say more of where in it). */
    static Map<String, String> byField(List<FieldError> errors, UnaryOperator<FieldError> toFormField) {
        Map<String, String> joined = new LinkedHashMap<>();
        for (FieldError error : errors) {
            FieldError placed = toFormField.apply(error);
            joined.merge(placed.field(), placed.message(), (first, next) -> first + "; " + next);
        }
        return joined;
    }

    static Map<String, String> byField(List<FieldError> errors) {
        return byField(errors, UnaryOperator.identity());
    }
}
