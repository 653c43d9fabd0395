package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.audience.ListService;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.Page;
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
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

/** Audience lists and their members: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
@Controller("/v1/lists")
public class ListController {

    private final ListService lists;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public ListController(ListService lists, CallerResolver callers, RequestBodies bodies) {
        this.lists = lists;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Post
    public HttpResponse<Views.ListBody> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.ListRequest list = bodies.read(body, "list-request", RequestTypes.ListRequest.class);
        AudienceList created = lists.create(caller, list.messageSystem(), list.name());
        return HttpResponse.<Views.ListBody>status(HttpStatus.CREATED)
                .header("Location", "/v1/lists/" + created.id())
                .body(Views.ListBody.of(created));
    }

    @Get
    public Views.PageBody<Views.ListBody> list(HttpRequest<?> request, @Nullable @QueryValue String limit,
                                               @Nullable @QueryValue String cursor) {
        Page<AudienceList> page = lists.list(callers.require(request), cursor, QueryParameters.limit(limit, 50, 500));
        return new Views.PageBody<>(page.items().stream().map(Views.ListBody::of).toList(), page.nextCursor());
    }

    @Get("/{id}")
    public Views.ListBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.ListBody.of(lists.get(callers.require(request), id));
    }

    @Patch("/{id}")
    public Views.ListBody rename(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.ListRename rename = bodies.read(body, "list-rename", RequestTypes.ListRename.class);
        return Views.ListBody.of(lists.rename(caller, id, rename.name()));
    }

    /** Deleted at once (204), or still being deleted (202) when it has many members: delete again to go on. */
    @Delete("/{id}")
    public HttpResponse<Views.ListBody> delete(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = callers.require(request);
        if (lists.delete(caller, id)) {
            return HttpResponse.noContent();
        }
        return HttpResponse.<Views.ListBody>status(HttpStatus.ACCEPTED).body(Views.ListBody.of(lists.get(caller, id)));
    }

    /** Adds up to 10,000 members, or updates the ones the list has under the same address. */
    @Post("/{id}/members")
    public Views.MembersPutBody putMembers(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.MembersRequest members = bodies.read(body, "members-request", RequestTypes.MembersRequest.class);
        ListService.Put put = lists.putMembers(caller, id, members.members());
        return new Views.MembersPutBody(put.added(), put.updated(), lists.get(caller, id).memberCount());
    }

    @Get("/{id}/members")
    public Views.PageBody<Views.MemberBody> members(HttpRequest<?> request, @PathVariable String id,
                                                   @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
        Page<ListMember> page = lists.members(callers.require(request), id, cursor,
                QueryParameters.limit(limit, 100, ListService.MAX_PAGE));
        return new Views.PageBody<>(page.items().stream().map(Views.MemberBody::of).toList(), page.nextCursor());
    }

    /** Removes up to 10,000 members by address. */
    @Post("/{id}/members/remove")
    public Views.MembersRemovedBody removeMembers(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.SuppressionRequest addresses = bodies.read(body, "suppression-request", RequestTypes.SuppressionRequest.class);
        int removed = lists.removeMembers(caller, id, addresses.addresses());
        return new Views.MembersRemovedBody(removed, lists.get(caller, id).memberCount());
    }
}
