package dev.herald.web;

import dev.herald.core.error.ValidationException;

import java.util.Locale;

/** Query parameters read as the API names them, with its own words when they are wrong. */
final class QueryParameters {

    private QueryParameters() {
    }

    /** A page size: absent means {@code otherwise}; else a whole number from 1 to {@code max}. */
    static int limit(String value, int otherwise, int max) {
        if (value == null) {
            return otherwise;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ValidationException.of("limit", "must be a whole number from 1 to " + max);
    }

    /** An enum value, case and dashes aside (sent-or "SENT"); absent or blank means none. */
    static <E extends Enum<E>> E oneOf(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(field, "must be one of " + String.join(", ",
                    java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList()));
        }
    }
}
