package dev.herald.console;

import dev.herald.core.error.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Places the problems of an API array typed one item a line ({@code recipients[2].email}) at the form field it
     * is typed in, by line ({@code line 3: email ...}); any other problem stays where it is.
     */
    static UnaryOperator<FieldError> atLines(String apiArray, String formField) {
        Pattern item = Pattern.compile(Pattern.quote(apiArray) + "\\[(\\d+)\\](?:\\.(\\w+))?");
        return error -> {
            Matcher line = item.matcher(error.field());
            if (line.matches()) {
                return new FieldError(formField, "line " + (Integer.parseInt(line.group(1)) + 1) + ": "
                        + (line.group(2) == null ? "" : line.group(2) + " ") + error.message());
            }
            return error.field().equals(apiArray) ? new FieldError(formField, error.message()) : error;
        };
    }
}
