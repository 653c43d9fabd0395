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

/** A message system's suppression list: admins only. */
@Consumes(MediaType.APPLICATION_JSON)
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

    @Get
    public Views.PageBody<Views.SuppressionBody> list(HttpRequest<?> request, @PathVariable String id,
                                                      @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        Page<Suppression> page = suppressions.list(caller, id, cursor,
                QueryParameters.limit(limit, 100, SuppressionService.MAX_PAGE));
        return new Views.PageBody<>(page.items().stream().map(Views.SuppressionBody::of).toList(), page.nextCursor());
    }

    /** Adds up to 10,000 addresses at once. */
    @Post
    public Views.AddedBody add(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.SuppressionRequest addresses = bodies.read(body, "suppression-request", RequestTypes.SuppressionRequest.class);
        SuppressionService.Added added = suppressions.add(caller, id, addresses.addresses());
        return new Views.AddedBody(added.added(), added.alreadySuppressed());
    }

    @Get("/{address}")
    public Views.SuppressionBody get(HttpRequest<?> request, @PathVariable String id, @PathVariable String address) {
        return Views.SuppressionBody.of(suppressions.get(callers.require(request), id, address));
    }

    /** Adds one address; answers its entry, the earlier one when it was listed already. */
    @Put("/{address}")
    public Views.SuppressionBody addOne(HttpRequest<?> request, @PathVariable String id, @PathVariable String address) {
        return Views.SuppressionBody.of(suppressions.addOne(callers.require(request), id, address));
    }

    @Delete("/{address}")
    public HttpResponse<Void> remove(HttpRequest<?> request, @PathVariable String id, @PathVariable String address) {
        suppressions.remove(callers.require(request), id, address);
        return HttpResponse.noContent();
    }
}
