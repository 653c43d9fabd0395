package dev.herald.core.error;

/** One field at fault: {@code field} is a path such as {@code recipients[3].email}. */
public record FieldError(String field, String message) {
}
