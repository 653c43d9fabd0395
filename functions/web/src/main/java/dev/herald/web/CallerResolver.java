package dev.herald.web;

import dev.herald.core.access.Caller;
import io.micronaut.http.HttpRequest;

import java.util.Optional;

/** Who is calling: from a bearer token locally, from the JWT authorizer's claims on AWS. */
public interface CallerResolver {

    Optional<Caller> resolve(HttpRequest<?> request);

    /** The caller, or a 401 when the request carries no valid credentials. */
    default Caller require(HttpRequest<?> request) {
        return resolve(request).orElseThrow(() -> new dev.herald.core.error.UnauthenticatedException(
                "Send a valid token: Authorization: Bearer <token>."));
    }
}
