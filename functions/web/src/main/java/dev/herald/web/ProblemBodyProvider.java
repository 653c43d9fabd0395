package dev.herald.web;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

/**
 * Framework errors (no such route, wrong method or media type, body too large, unreadable
 * parameters) answered as problem+json like every other error. Internal details stay out.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
public class ProblemBodyProvider implements JsonErrorResponseBodyProvider<Problem> {

    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        int status = response.code();
        String path = context.getRequest().getPath();
        return switch (status) {
            case 400 -> Problem.invalid("The request could not be read.", path, context.getErrors().stream()
                    .map(ProblemBodyProvider::fieldError).toList());
            case 404 -> Problem.of("not-found", "Not found", 404, "No such resource: " + path, path);
            case 405 -> Problem.of("method-not-allowed", "Method not allowed", 405,
                    context.getRequest().getMethod() + " is not allowed on " + path, path);
            case 413 -> Problem.of("body-too-large", "Request body too large", 413,
                    "The request body is larger than the 1 MB limit.", path);
            case 415 -> Problem.of("unsupported-media-type", "Unsupported media type", 415,
                    "Send the body as application/json.", path);
            default -> Problem.of(status >= 500 ? "internal" : "error", response.reason(), status,
                    status >= 500 ? "The request failed; it has been logged." : response.reason(), path);
        };
    }

    /** The framework's findings in the API's words: the parameter it names, if any, and no framework wording. */
    private static dev.herald.core.error.FieldError fieldError(Error error) {
        String field = error.getPath().map(p -> p.startsWith("/") ? p.substring(1) : p).filter(p -> !p.isBlank()).orElse("request");
        return new dev.herald.core.error.FieldError(field, "could not be read");
    }

    @Override
    public String contentType() {
        return Problem.CONTENT_TYPE;
    }
}
