package dev.herald.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.core.error.FieldError;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** An RFC 9457 problem detail, with the fields at fault when the request was invalid. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, @Views.Omittable String detail,
                      @Views.Omittable String instance, @Views.Omittable List<FieldError> errors) {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://herald.dev/problems/";

    public static Problem of(String slug, String title, int status, String detail, String instance) {
        return new Problem(TYPE_BASE + slug, title, status, detail, instance, null);
    }

    public static Problem invalid(String detail, String instance, List<FieldError> errors) {
        return new Problem(TYPE_BASE + "invalid-request", "Invalid request", 400, detail, instance, errors);
    }
}
