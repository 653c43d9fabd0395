package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.model.Page;
import dev.herald.core.model.Suppression;
import dev.herald.core.suppression.SuppressionService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** A message system's suppression list: admins only. */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Suppressions")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
@Controller("/v1/message-systems/{id}/suppressions")
public class SuppressionController {

    private final SuppressionService suppressions;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public SuppressionController(SuppressionService suppressions, CallerResolver callers, RequestBodies bodies) {
        this.suppressions = suppressions;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Operation(operationId = "listSuppressions", summary = "List a message system's suppressed addresses")
    @ApiResponse(responseCode = "200", description = "A page of suppressions", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get
    public Views.PageBody<Views.SuppressionBody> list(
            HttpRequest<?> request,
            @PathVariable String id,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        Page<Suppression> page = suppressions.list(caller, id, cursor,
                QueryParameters.limit(limit, 100, SuppressionService.MAX_PAGE));
        return new Views.PageBody<>(page.items().stream().map(Views.SuppressionBody::of).toList(), page.nextCursor());
    }

    /** Adds up to 10,000 addresses at once. */
    @Operation(operationId = "addSuppressions", summary = "Suppress up to 10,000 addresses")
    @ApiResponse(responseCode = "200", description = "How many were added", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Post
    public Views.AddedBody add(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "SuppressionRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.SuppressionRequest addresses = bodies.read(body, "SuppressionRequest", RequestTypes.SuppressionRequest.class);
        SuppressionService.Added added = suppressions.add(caller, id, addresses.addresses());
        return new Views.AddedBody(added.added(), added.alreadySuppressed());
    }

    @Operation(operationId = "getSuppression", summary = "Read one suppressed address")
    @ApiResponse(responseCode = "200", description = "The suppression", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{address}")
    public Views.SuppressionBody get(HttpRequest<?> request, @PathVariable String id, @PathVariable String address) {
        return Views.SuppressionBody.of(suppressions.get(callers.require(request), id, address));
    }

    /** Adds one address; answers its entry, the earlier one when it was listed already. */
    @Operation(operationId = "suppressAddress", summary = "Suppress one address")
    @ApiResponse(responseCode = "200", description = "The suppression, the earlier one if it was listed", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Put("/{address}")
    public Views.SuppressionBody addOne(HttpRequest<?> request, @PathVariable String id, @PathVariable String address) {
        return Views.SuppressionBody.of(suppressions.addOne(callers.require(request), id, address));
    }

    @Operation(operationId = "unsuppressAddress", summary = "Remove an address from the suppression list")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiDocument.Found
    @Delete("/{address}")
    public HttpResponse<Void> remove(HttpRequest<?> request, @PathVariable String id, @PathVariable String address) {
        suppressions.remove(callers.require(request), id, address);
        return HttpResponse.noContent();
    }
}
