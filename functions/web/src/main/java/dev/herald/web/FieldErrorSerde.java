package dev.herald.web;

import dev.herald.core.error.FieldError;
import io.micronaut.serde.annotation.SerdeImport;

/** Lets the core's {@link FieldError} travel in problem responses without the core knowing Micronaut. */
@SerdeImport(FieldError.class)
final class FieldErrorSerde {
    private FieldErrorSerde() {
    }
}
