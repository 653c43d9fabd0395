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

/** Recurring schedules: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
@Controller("/v1/recurring-schedules")
public class RecurringScheduleController {

    private static final String SCHEMA = "recurring-schedule";

    private final RecurringScheduleService schedules;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public RecurringScheduleController(RecurringScheduleService schedules, CallerResolver callers, RequestBodies bodies) {
        this.schedules = schedules;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Post
    public HttpResponse<Views.RecurringScheduleBody> create(HttpRequest<?> request, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RecurringScheduleView created = schedules.create(caller, bodies.read(body, SCHEMA, RecurringScheduleRequest.class));
        return HttpResponse.<Views.RecurringScheduleBody>status(HttpStatus.CREATED)
                .header("Location", "/v1/recurring-schedules/" + created.schedule().id())
                .body(Views.RecurringScheduleBody.of(created));
    }

    @Get
    public Views.PageBody<Views.RecurringScheduleBody> list(HttpRequest<?> request, @Nullable @QueryValue String limit,
                                                           @Nullable @QueryValue String cursor) {
        Page<RecurringScheduleView> page = schedules.list(callers.require(request), cursor,
                QueryParameters.limit(limit, 50, 500));
        return new Views.PageBody<>(page.items().stream().map(Views.RecurringScheduleBody::of).toList(), page.nextCursor());
    }

    @Get("/{id}")
    public Views.RecurringScheduleBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.RecurringScheduleBody.of(schedules.get(callers.require(request), id));
    }

    /** Replaces what the schedule sends and when (the same body as a create); paused or active, it stays so. */
    @Put("/{id}")
    public Views.RecurringScheduleBody update(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        return Views.RecurringScheduleBody.of(schedules.update(caller, id,
                bodies.read(body, SCHEMA, RecurringScheduleRequest.class)));
    }

    @Post("/{id}/pause")
    public Views.RecurringScheduleBody pause(HttpRequest<?> request, @PathVariable String id) {
        return Views.RecurringScheduleBody.of(schedules.pause(callers.require(request), id));
    }

    @Post("/{id}/resume")
    public Views.RecurringScheduleBody resume(HttpRequest<?> request, @PathVariable String id) {
        return Views.RecurringScheduleBody.of(schedules.resume(callers.require(request), id));
    }

    @Delete("/{id}")
    public HttpResponse<Void> delete(HttpRequest<?> request, @PathVariable String id) {
        schedules.delete(callers.require(request), id);
        return HttpResponse.noContent();
    }

    /** The occurrences so far, latest first, each with its message's status and counts. */
    @Get("/{id}/occurrences")
    public Views.PageBody<Views.OccurrenceBody> occurrences(HttpRequest<?> request, @PathVariable String id,
                                                           @Nullable @QueryValue String limit,
                                                           @Nullable @QueryValue String cursor) {
        Page<OccurrenceView> page = schedules.history(callers.require(request), id, cursor,
                QueryParameters.limit(limit, 50, 500));
        return new Views.PageBody<>(page.items().stream().map(Views.OccurrenceBody::of).toList(), page.nextCursor());
    }
}
