package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.model.Page;
import dev.herald.core.schedule.OccurrenceView;
import dev.herald.core.schedule.RecurringScheduleRequest;
import dev.herald.core.schedule.RecurringScheduleService;
import dev.herald.core.schedule.RecurringScheduleView;
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
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Recurring schedules: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recurring schedules")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
@Controller("/v1/recurring-schedules")
public class RecurringScheduleController {

    private static final String SCHEMA = "RecurringScheduleRequest";

    private final RecurringScheduleService schedules;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public RecurringScheduleController(RecurringScheduleService schedules, CallerResolver callers, RequestBodies bodies) {
        this.schedules = schedules;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Operation(operationId = "createRecurringSchedule", summary = "Create a recurring schedule")
    @ApiResponse(responseCode = "201", description = "The schedule with its next occurrences", useReturnTypeSchema = true)
    @Post
    public HttpResponse<Views.RecurringScheduleBody> create(HttpRequest<?> request,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "RecurringScheduleRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RecurringScheduleView created = schedules.create(caller, bodies.read(body, SCHEMA, RecurringScheduleRequest.class));
        return HttpResponse.<Views.RecurringScheduleBody>status(HttpStatus.CREATED)
                .header("Location", "/v1/recurring-schedules/" + created.schedule().id())
                .body(Views.RecurringScheduleBody.of(created));
    }

    @Operation(operationId = "listRecurringSchedules", summary = "List recurring schedules")
    @ApiResponse(responseCode = "200", description = "A page of schedules", useReturnTypeSchema = true)
    @Get
    public Views.PageBody<Views.RecurringScheduleBody> list(
            HttpRequest<?> request,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Page<RecurringScheduleView> page = schedules.list(callers.require(request), cursor,
                QueryParameters.limit(limit, 50, 500));
        return new Views.PageBody<>(page.items().stream().map(Views.RecurringScheduleBody::of).toList(), page.nextCursor());
    }

    @Operation(operationId = "getRecurringSchedule", summary = "Read a recurring schedule with its next 5 occurrences")
    @ApiResponse(responseCode = "200", description = "The schedule", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}")
    public Views.RecurringScheduleBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.RecurringScheduleBody.of(schedules.get(callers.require(request), id));
    }

    /** Replaces what the schedule sends and when (the same body as a create); paused or active, it stays so. */
    @Operation(operationId = "updateRecurringSchedule", summary = "Replace what a schedule sends and when")
    @ApiResponse(responseCode = "200", description = "The schedule, updated", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Put("/{id}")
    public Views.RecurringScheduleBody update(HttpRequest<?> request, @PathVariable String id,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "RecurringScheduleRequest")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        return Views.RecurringScheduleBody.of(schedules.update(caller, id,
                bodies.read(body, SCHEMA, RecurringScheduleRequest.class)));
    }

    @Operation(operationId = "pauseRecurringSchedule", summary = "Pause a recurring schedule")
    @ApiResponse(responseCode = "200", description = "The schedule, paused", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/pause")
    public Views.RecurringScheduleBody pause(HttpRequest<?> request, @PathVariable String id) {
        return Views.RecurringScheduleBody.of(schedules.pause(callers.require(request), id));
    }

    @Operation(operationId = "resumeRecurringSchedule", summary = "Resume a recurring schedule")
    @ApiResponse(responseCode = "200", description = "The schedule, active", useReturnTypeSchema = true)
    @ApiDocument.Found
    @ApiDocument.Conflicting
    @Post("/{id}/resume")
    public Views.RecurringScheduleBody resume(HttpRequest<?> request, @PathVariable String id) {
        return Views.RecurringScheduleBody.of(schedules.resume(callers.require(request), id));
    }

    @Operation(operationId = "deleteRecurringSchedule", summary = "Delete a recurring schedule")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiDocument.Found
    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
        schedules.delete(callers.require(request), id);
        return HttpResponse.noContent();
    }

    /** The occurrences so far, latest first, each with its message's status and counts. */
    @Operation(operationId = "listOccurrences", summary = "List a schedule's occurrences, latest first")
    @ApiResponse(responseCode = "200", description = "A page of occurrences", useReturnTypeSchema = true)
    @ApiDocument.Found
    @Get("/{id}/occurrences")
    public Views.PageBody<Views.OccurrenceBody> occurrences(
            HttpRequest<?> request,
            @PathVariable String id,
            @ApiDocument.Limit @Nullable @QueryValue String limit,
            @ApiDocument.Cursor @Nullable @QueryValue String cursor) {
        Page<OccurrenceView> page = schedules.history(callers.require(request), id, cursor,
                QueryParameters.limit(limit, 50, 500));
        return new Views.PageBody<>(page.items().stream().map(Views.OccurrenceBody::of).toList(), page.nextCursor());
    }
}
