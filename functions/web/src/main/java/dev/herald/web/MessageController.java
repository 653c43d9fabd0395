package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RecipientState;
import dev.herald.core.schedule.MessageLifecycle;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.ScheduleService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;


/** Scheduling and managing messages: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
@Controller("/v1/messages")
public class MessageController {

    private static final int MAX_IDEMPOTENCY_KEY = 256;

    private final ScheduleService schedule;
    private final MessageViews views;
    private final MessageLifecycle lifecycle;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public MessageController(ScheduleService schedule, MessageViews views, MessageLifecycle lifecycle,
                             CallerResolver callers, RequestBodies bodies) {
        this.schedule = schedule;
        this.views = views;
        this.lifecycle = lifecycle;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Operation(operationId = "scheduleMessage", summary = "Schedule a message")
    @ApiResponse(responseCode = "202", description = "Accepted: stored, and its tasks scheduled", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used before with another body.",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    public HttpResponse<Views.MessageBody> create(HttpRequest<?> request,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "ScheduleRequest")))
            @Nullable @Body byte[] body,
            @Parameter(description = "Makes a retry safe: the same key and body answer the first message again.",
                    schema = @Schema(implementation = String.class, minLength = 1, maxLength = MAX_IDEMPOTENCY_KEY))
            @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        Caller caller = callers.require(request);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ValidationException.of("Idempotency-Key", "must be 1-" + MAX_IDEMPOTENCY_KEY + " characters");
        }
        JsonBody json = JsonBody.parse(body);
        ScheduleRequest scheduleRequest = bodies.read(json, "ScheduleRequest", ScheduleRequest.class);
        ScheduleService.Accepted accepted = schedule.schedule(caller, scheduleRequest, idempotencyKey, json.fingerprint());
        Views.MessageBody message = Views.MessageBody.of(accepted.view());
        return HttpResponse.<Views.MessageBody>status(HttpStatus.ACCEPTED)
                .header("Location", "/v1/messages/" + message.id())
                .header("Idempotent-Replayed", String.valueOf(accepted.replayed()))
                .body(message);
    }

    @Operation(operationId = "listMessages", summary = "List messages, latest first")
    @ApiResponse(responseCode = "200", description = "A page of messages", useReturnTypeSchema = true)
    @Get
    public Views.PageBody<Views.MessageBody> list(
            HttpRequest<?> request,
            @Parameter(description = "Only messages in this status (any case).", required = false,
                    schema = @Schema(implementation = MessageStatus.class))
            @QueryValue(defaultValue = "") String status,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        var page = views.list(caller, QueryParameters.oneOf(MessageStatus.class, "status", status),
                QueryParameters.limit(limit, 50, 500), cursor);
        return new Views.PageBody<>(page.items().stream().map(Views.MessageBody::summary).toList(), page.nextCursor());
    }

    @Operation(operationId = "getMessage", summary = "Read a message with its tasks, runs and counts")
    @ApiResponse(responseCode = "200", description = "The message", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}")
    public Views.MessageBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(views.get(callers.require(request), id));
    }

    @Operation(operationId = "listRecipients", summary = "List a message's recipients and their outcomes")
    @ApiResponse(responseCode = "200", description = "A page of recipients", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}/recipients")
    public Views.PageBody<Views.RecipientBody> recipients(
            HttpRequest<?> request,
            @PathVariable String id,
            @Parameter(description = "Only recipients in this state (any case).", required = false,
                    schema = @Schema(implementation = RecipientState.class))
            @QueryValue(defaultValue = "") String status,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        var page = views.recipients(caller, id, QueryParameters.oneOf(RecipientState.class, "status", status),
                QueryParameters.limit(limit, 100, 1000), cursor);
        return new Views.PageBody<>(page.items().stream().map(Views.RecipientBody::of).toList(), page.nextCursor());
    }

    @Operation(operationId = "rescheduleMessage", summary = "Move a scheduled message to another time")
    @ApiResponse(responseCode = "200", description = "The message, rescheduled", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Patch("/{id}")
    public Views.MessageBody reschedule(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "RescheduleRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.Reschedule reschedule = bodies.read(body, "RescheduleRequest", RequestTypes.Reschedule.class);
        return Views.MessageBody.of(lifecycle.reschedule(caller, id, reschedule.sendAt(), reschedule.timeZone(), reschedule.sendBy()));
    }

    @Operation(operationId = "cancelMessage", summary = "Cancel a message; what was not sent is not sent")
    @ApiResponse(responseCode = "200", description = "The message, cancelled", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/cancel")
    public Views.MessageBody cancel(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(lifecycle.cancel(callers.require(request), id));
    }

    @Operation(operationId = "pauseMessage", summary = "Pause a message at its next chunk")
    @ApiResponse(responseCode = "200", description = "The message, paused", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/pause")
    public Views.MessageBody pause(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(lifecycle.pause(callers.require(request), id));
    }

    /** Resumes at the message's own time, or at {@code sendAt} in {@code timeZone} when the (optional) body gives one. */
    @Operation(operationId = "resumeMessage", summary = "Resume a paused message")
    @ApiResponse(responseCode = "200", description = "The message, scheduled again", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/resume")
    public Views.MessageBody resume(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = false, content = @Content(schema = @Schema(ref = "ResumeRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.Resume resume = body == null || body.length == 0 ? new RequestTypes.Resume(null, null)
                : bodies.read(body, "ResumeRequest", RequestTypes.Resume.class);
        return Views.MessageBody.of(lifecycle.resume(caller, id, resume.sendAt(), resume.timeZone()));
    }
}
