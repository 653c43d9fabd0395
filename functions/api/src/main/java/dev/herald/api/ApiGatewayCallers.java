package dev.herald.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.herald.core.access.Caller;
import dev.herald.web.CallerResolver;
import dev.herald.web.JwtClaimsCallers;
import io.micronaut.http.HttpRequest;
import io.micronaut.servlet.http.ServletHttpRequest;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * Callers of the API function: the claims API Gateway's JWT authorizer verified, read from the
 * request context of the payload 2.0 event. A request without them is unauthenticated.
 */
@Singleton
class ApiGatewayCallers implements CallerResolver {

    private final JwtClaimsCallers claims;

    ApiGatewayCallers(JwtClaimsCallers claims) {
        this.claims = claims;
    }

    @Override
    public Optional<Caller> resolve(HttpRequest<?> request) {
        if (!(request instanceof ServletHttpRequest<?, ?> servlet)
                || !(servlet.getNativeRequest() instanceof APIGatewayV2HTTPEvent event)) {
            return Optional.empty();
        }
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
            return Optional.empty();
        }
        Map<String, String> jwtClaims = context.getAuthorizer().getJwt().getClaims();
        return claims.caller(jwtClaims);
    }
}
