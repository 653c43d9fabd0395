package dev.herald.web;

import dev.herald.core.error.ConflictException;
import dev.herald.core.error.ForbiddenException;
import dev.herald.core.error.HeraldException;
import dev.herald.core.error.IdempotencyMismatchException;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.UnauthenticatedException;
import dev.herald.core.error.ValidationException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where domain exceptions become HTTP statuses, as problem+json. */
@Produces(Problem.CONTENT_TYPE)
@Singleton
@Requires(classes = {HeraldException.class, ExceptionHandler.class})
public class HeraldExceptionHandler implements ExceptionHandler<HeraldException, HttpResponse<Problem>> {

    /** A body of 10,000 bad recipients must not become a megabyte of errors. */
    private static final int MAX_LISTED_ERRORS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(HeraldExceptionHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, HeraldException exception) {
        String path = request.getPath();
        Problem problem = problem(exception, path);
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE.getCode()) {
            LOG.error("{} {} failed", request.getMethod(), path, exception);
        }
        MutableHttpResponse<Problem> response = HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .body(problem).contentType(Problem.CONTENT_TYPE);
        if (problem.status() == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response;
    }

    /** The problem a domain exception is, for a request to {@code path}: its status, type and words. */
    public static Problem problem(HeraldException exception, String path) {
        Problem problem;
        if (exception instanceof ValidationException invalid) {
            problem = Problem.invalid(invalid.getMessage(), path, invalid.errors());
            if (invalid.errors().size() > MAX_LISTED_ERRORS) {
                problem = Problem.invalid(invalid.getMessage() + " The first " + MAX_LISTED_ERRORS + " are listed.",
                        path, invalid.errors().subList(0, MAX_LISTED_ERRORS));
            }
        } else if (exception instanceof UnauthenticatedException) {
            problem = Problem.of("unauthenticated", "Unauthenticated", 401, exception.getMessage(), path);
        } else if (exception instanceof ForbiddenException) {
            problem = Problem.of("forbidden", "Forbidden", 403, exception.getMessage(), path);
        } else if (exception instanceof NotFoundException) {
            problem = Problem.of("not-found", "Not found", 404, exception.getMessage(), path);
        } else if (exception instanceof ConflictException) {
            problem = Problem.of("conflict", "Conflict", 409, exception.getMessage(), path);
        } else if (exception instanceof IdempotencyMismatchException) {
            problem = Problem.of("idempotency-key-reused", "Idempotency key reused", 422, exception.getMessage(), path);
        } else {
            problem = Problem.of("unavailable", "Service unavailable", 503,
                    "A backing service failed; the request may be retried.", path);
        }
        return problem;
    }
}
