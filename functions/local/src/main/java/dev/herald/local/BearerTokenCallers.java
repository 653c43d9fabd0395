package dev.herald.local;

import dev.herald.core.access.Caller;
import dev.herald.core.access.TokenService;
import dev.herald.web.CallerResolver;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Callers of the local runtime authenticate with the bearer tokens it issued. */
@Singleton
class BearerTokenCallers implements CallerResolver {

    private static final String BEARER = "Bearer ";
    private final TokenService tokens;

    BearerTokenCallers(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Optional<Caller> resolve(HttpRequest<?> request) {
        return request.getHeaders().getAuthorization()
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .flatMap(value -> tokens.authenticate(value.substring(BEARER.length()).trim()));
    }
}
