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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Audience lists and their members: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Lists")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
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

    @Operation(operationId = "createList", summary = "Create an audience list")
    @ApiResponse(responseCode = "201", description = "The list", useReturnTypeSchema = true)
    @Post
    public HttpResponse<Views.ListBody> create(HttpRequest<?> request,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "ListRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.ListRequest list = bodies.read(body, "ListRequest", RequestTypes.ListRequest.class);
        AudienceList created = lists.create(caller, list.messageSystem(), list.name());
        return HttpResponse.<Views.ListBody>status(HttpStatus.CREATED)
                .header("Location", "/v1/lists/" + created.id())
                .body(Views.ListBody.of(created));
    }

    @Operation(operationId = "listLists", summary = "List audience lists")
    @ApiResponse(responseCode = "200", description = "A page of lists", useReturnTypeSchema = true)
    @Get
    public Views.PageBody<Views.ListBody> list(
            HttpRequest<?> request,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Page<AudienceList> page = lists.list(callers.require(request), cursor, QueryParameters.limit(limit, 50, 500));
        return new Views.PageBody<>(page.items().stream().map(Views.ListBody::of).toList(), page.nextCursor());
    }

    @Operation(operationId = "getList", summary = "Read a list")
    @ApiResponse(responseCode = "200", description = "The list", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}")
    public Views.ListBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.ListBody.of(lists.get(callers.require(request), id));
    }

    @Operation(operationId = "renameList", summary = "Rename a list")
    @ApiResponse(responseCode = "200", description = "The list, renamed", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Patch("/{id}")
    public Views.ListBody rename(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "ListRename")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.ListRename rename = bodies.read(body, "ListRename", RequestTypes.ListRename.class);
        return Views.ListBody.of(lists.rename(caller, id, rename.name()));
    }

    /** Deleted at once (204), or still being deleted (202) when it has many members: delete again to go on. */
    @Operation(operationId = "deleteList", summary = "Delete a list")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "202", description = "Still being deleted: delete again to go on", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Delete("/{id}")
    public HttpResponse<Views.ListBody> delete(HttpRequest<?> request, @PathVariable String id) {
        Caller caller = callers.require(request);
        if (lists.delete(caller, id)) {
            return HttpResponse.noContent();
        }
        return HttpResponse.<Views.ListBody>status(HttpStatus.ACCEPTED).body(Views.ListBody.of(lists.get(caller, id)));
    }

    /** Adds up to 10,000 members, or updates the ones the list has under the same address. */
    @Operation(operationId = "putMembers", summary = "Add or update members")
    @ApiResponse(responseCode = "200", description = "What was added and updated", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/members")
    public Views.MembersPutBody putMembers(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "MembersRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.MembersRequest members = bodies.read(body, "MembersRequest", RequestTypes.MembersRequest.class);
        ListService.Put put = lists.putMembers(caller, id, members.members());
        return new Views.MembersPutBody(put.added(), put.updated(), lists.get(caller, id).memberCount());
    }

    @Operation(operationId = "listMembers", summary = "List a list's members")
    @ApiResponse(responseCode = "200", description = "A page of members", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}/members")
    public Views.PageBody<Views.MemberBody> members(
            HttpRequest<?> request,
            @PathVariable String id,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Page<ListMember> page = lists.members(callers.require(request), id, cursor,
                QueryParameters.limit(limit, 100, ListService.MAX_PAGE));
        return new Views.PageBody<>(page.items().stream().map(Views.MemberBody::of).toList(), page.nextCursor());
    }

    /** Removes up to 10,000 members by address. */
    @Operation(operationId = "removeMembers", summary = "Remove members by address")
    @ApiResponse(responseCode = "200", description = "How many were removed", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/members/remove")
    public Views.MembersRemovedBody removeMembers(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "SuppressionRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.SuppressionRequest addresses = bodies.read(body, "SuppressionRequest", RequestTypes.SuppressionRequest.class);
        int removed = lists.removeMembers(caller, id, addresses.addresses());
        return new Views.MembersRemovedBody(removed, lists.get(caller, id).memberCount());
    }
}
