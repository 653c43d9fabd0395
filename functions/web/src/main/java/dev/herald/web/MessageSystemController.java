package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
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
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

/** Message systems and their job accounts: admins only. */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Message systems")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
@Controller("/v1/message-systems")
public class MessageSystemController {

    private final MessageSystemService systems;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public MessageSystemController(MessageSystemService systems, CallerResolver callers, RequestBodies bodies) {
        this.systems = systems;
        this.callers = callers;
        this.bodies = bodies;
    }

    private Caller admin(HttpRequest<?> request) {
        Caller caller = callers.require(request);
        caller.requireAdmin();
        return caller;
    }

    @Operation(operationId = "createMessageSystem", summary = "Create a message system")
    @ApiResponse(responseCode = "201", description = "The message system", useReturnTypeSchema = true)
    @ApiDocument.Conflicting
    @Post
    public HttpResponse<Views.MessageSystemBody> create(HttpRequest<?> request,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "MessageSystemRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = admin(request);
        MessageSystem created = systems.create(caller, bodies.read(body, "MessageSystemRequest", MessageSystemSpec.class));
        return HttpResponse.<Views.MessageSystemBody>status(HttpStatus.CREATED)
                .header("Location", "/v1/message-systems/" + created.id())
                .body(Views.MessageSystemBody.of(created));
    }

    @Operation(operationId = "listMessageSystems", summary = "List message systems")
    @ApiResponse(responseCode = "200", description = "Every message system", useReturnTypeSchema = true)
    @Get
    public Views.PageBody<Views.MessageSystemBody> list(HttpRequest<?> request) {
        List<Views.MessageSystemBody> items = systems.list(admin(request)).stream().map(Views.MessageSystemBody::of).toList();
        return new Views.PageBody<>(items, null);
    }

    @Operation(operationId = "getMessageSystem", summary = "Read a message system")
    @ApiResponse(responseCode = "200", description = "The message system", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}")
    public Views.MessageSystemBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageSystemBody.of(systems.get(admin(request), id));
    }

    @Operation(operationId = "updateMessageSystem", summary = "Replace a message system's settings")
    @ApiResponse(responseCode = "200", description = "The message system, updated", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Put("/{id}")
    public Views.MessageSystemBody update(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "MessageSystemRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = admin(request);
        return Views.MessageSystemBody.of(systems.update(caller, id, bodies.read(body, "MessageSystemRequest", MessageSystemSpec.class)));
    }

    @Operation(operationId = "deleteMessageSystem", summary = "Delete a message system")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
        systems.delete(admin(request), id);
        return HttpResponse.noContent();
    }

    @Operation(operationId = "setJobAccount", summary = "Set the job account (write-only)")
    @ApiResponse(responseCode = "204", description = "Stored, encrypted")
    @ApiDocument.Found
    @Put("/{id}/job-account")
    public HttpResponse<Void> setJobAccount(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "JobAccountRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = admin(request);
        RequestTypes.JobAccountBody account = bodies.read(body, "JobAccountRequest", RequestTypes.JobAccountBody.class);
        systems.setJobAccount(caller, id, account.name(), account.password());
        return HttpResponse.noContent();
    }

    @Operation(operationId = "removeJobAccount", summary = "Remove the job account")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiDocument.Found
    @Delete("/{id}/job-account")
    public HttpResponse<Void> removeJobAccount(HttpRequest<?> request, @PathVariable String id) {
        systems.removeJobAccount(admin(request), id);
        return HttpResponse.noContent();
    }
}
