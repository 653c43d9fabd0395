package dev.herald.console;

import dev.herald.core.audience.ListService;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Page;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.model.ScheduleOccurrence;
import dev.herald.core.schedule.OccurrenceView;
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
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Recurring schedules: each with its rule and its next occurrences in the viewer's zone, and a
 * schedule's history, the messages its occurrences made with their counts; pause, resume and
 * delete. A sender sees its own, an admin every one, as in the API.
 */
@Controller("/schedules")
class SchedulePagesController {

    private static final int PAGE_SIZE = 25;

    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final RecurringScheduleService schedules;
    private final ListService lists;

    SchedulePagesController(ConsoleRequests requests, ConsolePages pages, RecurringScheduleService schedules, ListService lists) {
        this.requests = requests;
        this.pages = pages;
        this.schedules = schedules;
        this.lists = lists;
    }

    @Get
    HttpResponse<String> list(HttpRequest<?> request, @Nullable @QueryValue String cursor) {
        return requests.page(request, signedIn -> {
            Page<RecurringScheduleView> page = schedules.list(signedIn.caller(), ConsoleForms.blankToNull(cursor), PAGE_SIZE);
            ZoneId zone = signedIn.session().zone();
            return pages.page(HttpStatus.OK, "schedules", signedIn, Map.of(
                    "schedules", page.items().stream().map(view -> schedule(view, zone)).toList(),
                    "nextCursor", page.nextCursor() == null ? "" : page.nextCursor()));
        });
    }

    @Get("/new")
    HttpResponse<String> blank(HttpRequest<?> request) {
        return requests.page(request, signedIn -> formPage(HttpStatus.OK, signedIn, null,
                ScheduleForm.blank(signedIn.session().zone()), Map.of()));
    }

    /** Creates the schedule; a problem shows at its field, as typed, and nothing is stored. */
    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            ScheduleForm typed = ScheduleForm.of(fields);
            try {
                return ConsolePages.seeOther(path(schedules.create(signedIn.caller(), typed.request()).schedule().id()));
            } catch (ValidationException e) {
                return formPage(HttpStatus.BAD_REQUEST, signedIn, null, typed, FormErrors.byField(e.errors()));
            }
        });
    }

    /** The next occurrences of the rule as typed, or its problems: fetched by htmx as the user types. */
    @Post("/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> preview(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) ->
                pages.html(HttpStatus.OK, pages.render("schedule-preview", preview(signedIn, ScheduleForm.of(fields)))));
    }

    @Get("/{id}/edit")
    HttpResponse<String> edit(HttpRequest<?> request, @PathVariable String id) {
        return requests.page(request, signedIn -> formPage(HttpStatus.OK, signedIn, id,
                ScheduleForm.of(schedules.get(signedIn.caller(), id).schedule()), Map.of()));
    }

    /** Replaces what the schedule sends and when; it stays paused or active as it was. */
    @Post("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> update(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            ScheduleForm typed = ScheduleForm.of(fields);
            try {
                schedules.update(signedIn.caller(), id, typed.request());
                return ConsolePages.seeOther(path(id));
            } catch (ValidationException e) {
                return formPage(HttpStatus.BAD_REQUEST, signedIn, id, typed, FormErrors.byField(e.errors()));
            }
        });
    }

    @Get("/{id}")
    HttpResponse<String> schedule(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String cursor) {
        return requests.page(request, signedIn -> {
            ZoneId zone = signedIn.session().zone();
            RecurringScheduleView view = schedules.get(signedIn.caller(), id);
            Page<OccurrenceView> history = schedules.history(signedIn.caller(), id, ConsoleForms.blankToNull(cursor), PAGE_SIZE);
            return pages.page(HttpStatus.OK, "schedule", signedIn, Map.of("schedule", schedule(view, zone),
                    "occurrences", history.items().stream().map(occurrence -> occurrence(occurrence, zone)).toList(),
                    "nextCursor", history.nextCursor() == null ? "" : history.nextCursor()));
        });
    }

    @Post("/{id}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> pause(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> schedules.pause(signedIn.caller(), id), path(id));
    }

    @Post("/{id}/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> resume(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> schedules.resume(signedIn.caller(), id), path(id));
    }

    @Post("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> delete(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> schedules.delete(signedIn.caller(), id), "/schedules");
    }

    private HttpResponse<String> formPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, String id, ScheduleForm form,
                                          Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("form", form.typed());
        model.put("errors", errors);
        model.put("lists", ConsoleForms.listChoices(lists, signedIn.caller(), form.typed().get("list")));
        model.put("preview", preview(signedIn, form));
        if (id != null) {
            model.put("id", id);
        }
        return pages.page(status, "schedule-form", signedIn, model);
    }

    private Map<String, Object> preview(ConsoleSessions.SignedIn signedIn, ScheduleForm form) {
        ZoneId zone = signedIn.session().zone();
        var typed = form.request();
        try {
            return Map.of("next", schedules.nextOccurrences(typed.expression(), typed.timeZone(), typed.start(), typed.end())
                    .stream().map(at -> MessageModels.at(at, zone)).toList());
        } catch (ValidationException e) {
            return Map.of("problems", e.errors().stream().map(error -> error.field() + ": " + error.message()).toList());
        }
    }

    private static String path(String id) {
        return ConsolePages.path("/schedules/", id);
    }

    private static Map<String, Object> schedule(RecurringScheduleView view, ZoneId zone) {
        RecurringSchedule schedule = view.schedule();
        Map<String, Object> model = new HashMap<>();
        model.put("id", schedule.id());
        model.put("name", schedule.name());
        model.put("subject", schedule.subject());
        model.put("messageSystem", schedule.messageSystemId());
        model.put("list", schedule.listId());
        model.put("rule", schedule.expression() + " in " + schedule.timeZone());
        model.put("start", MessageModels.at(schedule.start(), zone));
        model.put("end", MessageModels.at(schedule.end(), zone));
        model.put("state", schedule.state().name());
        model.put("paused", schedule.state() == RecurringScheduleState.PAUSED);
        model.put("nextOccurrences", view.nextOccurrences().stream().map(at -> MessageModels.at(at, zone)).toList());
        return model;
    }

    private static Map<String, Object> occurrence(OccurrenceView view, ZoneId zone) {
        ScheduleOccurrence occurrence = view.occurrence();
        Map<String, Object> row = new HashMap<>();
        row.put("at", MessageModels.at(occurrence.at(), zone));
        row.put("messageId", occurrence.messageId() == null ? "" : occurrence.messageId());
        row.put("problem", occurrence.problem() == null ? "" : occurrence.problem());
        view.message().ifPresent(message -> row.put("message", MessageModels.summary(message, zone)));
        return row;
    }
}
