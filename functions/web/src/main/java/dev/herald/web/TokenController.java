package dev.herald.web;

import dev.herald.core.access.TokenService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Bearer tokens, where the runtime issues its own (the local runtime). */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tokens")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
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

    @Operation(operationId = "issueToken", summary = "Issue a token (shown once)")
    @ApiResponse(responseCode = "201", description = "The token, with its secret", useReturnTypeSchema = true)
    @Post
    public HttpResponse<Views.TokenBody> create(HttpRequest<?> request,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "TokenRequest")))
            @Nullable @Body byte[] body) {
        var caller = callers.require(request);
        caller.requireAdmin();
        RequestTypes.TokenRequest token = bodies.read(body, "TokenRequest", RequestTypes.TokenRequest.class);
        Views.TokenBody issued = Views.TokenBody.of(tokens.create(caller, token.name(), token.role()));
        return HttpResponse.<Views.TokenBody>status(HttpStatus.CREATED).header("Location", "/v1/tokens/" + issued.id())
                .body(issued);
    }

    @Operation(operationId = "listTokens", summary = "List tokens, without their secrets")
    @ApiResponse(responseCode = "200", description = "Every token", useReturnTypeSchema = true)
    @Get
    public Views.PageBody<Views.TokenSummaryBody> list(HttpRequest<?> request) {
        return new Views.PageBody<>(tokens.list(callers.require(request)).stream().map(Views.TokenSummaryBody::of).toList(), null);
    }

    /** Revokes the token at once; the last admin token cannot be revoked (409). */
    @Operation(operationId = "revokeToken", summary = "Revoke a token")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Delete("/{id}")
    public HttpResponse<Void> revoke(HttpRequest<?> request, @PathVariable String id) {
        tokens.revoke(callers.require(request), id);
        return HttpResponse.noContent();
    }
}
