package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RecipientState;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.ScheduleService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.Locale;

/** Scheduling and managing messages: a sender works on its own, an admin on all. */
@Consumes(MediaType.APPLICATION_JSON)
@Controller("/v1/messages")
public class MessageController {

    private static final int MAX_IDEMPOTENCY_KEY = 256;

    private final ScheduleService schedule;
    private final CallerResolver callers;
    private final RequestBodies bodies;

    public MessageController(ScheduleService schedule, CallerResolver callers, RequestBodies bodies) {
        this.schedule = schedule;
        this.callers = callers;
        this.bodies = bodies;
    }

    @Post
    public HttpResponse<Views.MessageBody> create(HttpRequest<?> request, @Body String body,
                                                  @Nullable @Header("Idempotency-Key") String idempotencyKey) {
        Caller caller = callers.require(request);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            throw ValidationException.of("Idempotency-Key", "must be 1-" + MAX_IDEMPOTENCY_KEY + " characters");
        }
        ScheduleRequest scheduleRequest = bodies.read(body, "schedule-request", ScheduleRequest.class);
        ScheduleService.Accepted accepted = schedule.schedule(caller, scheduleRequest, idempotencyKey,
                Fingerprints.of(body));
        Views.MessageBody message = Views.MessageBody.of(accepted.view());
        return HttpResponse.<Views.MessageBody>status(HttpStatus.ACCEPTED)
                .header("Location", "/v1/messages/" + message.id())
                .header("Idempotent-Replayed", String.valueOf(accepted.replayed()))
                .body(message);
    }

    @Get
    public Views.PageBody<Views.MessageBody> list(HttpRequest<?> request, @Nullable @QueryValue String status,
                                                  @QueryValue(defaultValue = "50") @Min(1) @Max(500) int limit,
                                                  @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        var page = schedule.list(caller, parse(MessageStatus.class, "status", status), limit, cursor);
        return new Views.PageBody<>(page.items().stream().map(Views.MessageBody::summary).toList(), page.nextCursor());
    }

    @Get("/{id}")
    public Views.MessageBody get(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(schedule.get(callers.require(request), id));
    }

    @Get("/{id}/recipients")
    public Views.PageBody<Views.RecipientBody> recipients(HttpRequest<?> request, @PathVariable String id,
                                                          @Nullable @QueryValue String status,
                                                          @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit,
                                                          @Nullable @QueryValue String cursor) {
        Caller caller = callers.require(request);
        var page = schedule.recipients(caller, id, parse(RecipientState.class, "status", status), limit, cursor);
        return new Views.PageBody<>(page.items().stream().map(Views.RecipientBody::of).toList(), page.nextCursor());
    }

    @Patch("/{id}")
    public Views.MessageBody reschedule(HttpRequest<?> request, @PathVariable String id, @Body String body) {
        Caller caller = callers.require(request);
        RequestTypes.Reschedule reschedule = bodies.read(body, "reschedule-request", RequestTypes.Reschedule.class);
        return Views.MessageBody.of(schedule.reschedule(caller, id, reschedule.sendAt(), reschedule.timeZone()));
    }

    @Post("/{id}/cancel")
    public Views.MessageBody cancel(HttpRequest<?> request, @PathVariable String id) {
        return Views.MessageBody.of(schedule.cancel(callers.require(request), id));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(field, "unknown " + field + " '" + value + "'");
        }
    }
}
