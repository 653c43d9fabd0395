package dev.herald.web;

import dev.herald.core.access.TokenService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/** Bearer tokens, where the runtime issues its own (the local runtime). */
@Consumes(MediaType.APPLICATION_JSON)
@Controller("/v1/tokens")
@Requires(beans = TokenService.class)
public class TokenController {

    private final TokenService tokens;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public TokenController(TokenService tokens, CallerResolver callers, RequestBodies bodies) {
        this.tokens = tokens;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Post
    public HttpResponse<Views.TokenBody> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        var caller = callers.require(request);
        caller.requireAdmin();
        RequestTypes.TokenRequest token = bodies.read(body, "token-request", RequestTypes.TokenRequest.class);
        return HttpResponse.<Views.TokenBody>status(HttpStatus.CREATED)
                .body(Views.TokenBody.of(tokens.create(caller, token.name(), token.role())));
    }
}
