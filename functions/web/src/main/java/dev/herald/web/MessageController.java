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


/** Scheduling and managing messages: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
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

    @Post
    public HttpResponse<Views.MessageBody> create(HttpRequest<?> request, @Nullable @Body byte[] body,
                                                  @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        Caller caller = callers.require(request);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ValidationException.of("Idempotency-Key", "must be 1-" + MAX_IDEMPOTENCY_KEY + " characters");
        }
        JsonBody json = JsonBody.parse(body);
        ScheduleRequest scheduleRequest = bodies.read(json, "schedule-request", ScheduleRequest.class);
        ScheduleService.Accepted accepted = schedule.schedule(caller, scheduleRequest, idempotencyKey, json.fingerprint());
        Views.MessageBody message = Views.MessageBody.of(accepted.view());
        return HttpResponse.<Views.MessageBody>status(HttpStatus.ACCEPTED)
                .header("Location", "/v1/messages/" + message.id())
                .header("Idempotent-Replayed", String.valueOf(accepted.replayed()))
                .body(message);
    }

    @Get
    public Views.PageBody<Views.MessageBody> list(HttpRequest<?> request, @Nullable @QueryValue String status,
                                                  @Nullable @QueryValue String limit, @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        var page = views.list(caller, QueryParameters.oneOf(MessageStatus.class, "status", status),
                QueryParameters.limit(limit, 50, 500), cursor);
        return new Views.PageBody<>(page.items().stream().map(Views.MessageBody::summary).toList(), page.nextCursor());
    }

    @Get("/{id}")
    public Views.MessageBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(views.get(callers.require(request), id));
    }

    @Get("/{id}/recipients")
    public Views.PageBody<Views.RecipientBody> recipients(HttpRequest<?> request, @PathVariable String id,
                                                          @Nullable @QueryValue String status,
                                                          @Nullable @QueryValue String limit,
                                                          @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        var page = views.recipients(caller, id, QueryParameters.oneOf(RecipientState.class, "status", status),
                QueryParameters.limit(limit, 100, 1000), cursor);
        return new Views.PageBody<>(page.items().stream().map(Views.RecipientBody::of).toList(), page.nextCursor());
    }

    @Patch("/{id}")
    public Views.MessageBody reschedule(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.Reschedule reschedule = bodies.read(body, "reschedule-request", RequestTypes.Reschedule.class);
        return Views.MessageBody.of(lifecycle.reschedule(caller, id, reschedule.sendAt(), reschedule.timeZone(), reschedule.sendBy()));
    }

    @Post("/{id}/cancel")
    public Views.MessageBody cancel(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(lifecycle.cancel(callers.require(request), id));
    }

    @Post("/{id}/pause")
    public Views.MessageBody pause(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(lifecycle.pause(callers.require(request), id));
    }

    /** Resumes at the message's own time, or at {@code sendAt} in {@code timeZone} when the (optional) body gives one. */
    @Post("/{id}/resume")
    public Views.MessageBody resume(HttpRequest<?> request, @PathVariable String id, @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        RequestTypes.Resume resume = body == null || body.length == 0 ? new RequestTypes.Resume(null, null)
                : bodies.read(body, "resume-request", RequestTypes.Resume.class);
        return Views.MessageBody.of(lifecycle.resume(caller, id, resume.sendAt(), resume.timeZone()));
    }
}
