package dev.herald.console;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Page;
import dev.herald.core.render.MessageTemplates;
import dev.herald.core.render.RenderedContent;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.MessageLifecycle;
import dev.herald.core.schedule.MessageView;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.RecipientView;
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

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The messages page and a message's page, with what may be done to it: the same services, and so
 * the same rules, as the HTTP API (a sender sees and acts on its own messages only).
 */
@Controller
class MessagePagesController {

    private static final int PAGE_SIZE = 25;
    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final MessageViews views;
    private final MessageLifecycle lifecycle;
    private final TemplateRenderer renderer;

    MessagePagesController(ConsoleRequests requests, ConsolePages pages, MessageViews views, MessageLifecycle lifecycle,
                           TemplateRenderer renderer) {
        this.requests = requests;
        this.pages = pages;
        this.views = views;
        this.lifecycle = lifecycle;
        this.renderer = renderer;
    }

    @Get("/")
    HttpResponse<String> messages(HttpRequest<?> request, @Nullable @QueryValue String status, @Nullable @QueryValue String cursor) {
        return requests.page(request, signedIn -> {
            MessageStatus filter = parse(MessageStatus.class, status);
            Page<MessageView> page = views.list(signedIn.caller(), filter, PAGE_SIZE, ConsoleForms.blankToNull(cursor));
            var zone = signedIn.session().zone();
            Map<String, Object> model = new HashMap<>();
            model.put("messages", page.items().stream().map(view -> MessageModels.summary(view, zone)).toList());
            model.put("statuses", options(MessageStatus.class, filter));
            model.put("status", filter == null ? "" : filter.name());
            model.put("nextCursor", page.nextCursor() == null ? "" : page.nextCursor());
            return pages.page(HttpStatus.OK, "messages", signedIn, model);
        });
    }

    @Get("/messages/{id}")
    HttpResponse<String> message(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String state,
                                 @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer recipient) {
        return requests.page(request, signedIn -> messagePage(signedIn, id, state, cursor, recipient, HttpStatus.OK,
                Map.of(), Map.of()));
    }

    private HttpResponse<String> messagePage(ConsoleSessions.SignedIn signedIn, String id, String state, String cursor,
                                             Integer recipient, HttpStatus status, Map<String, String> errors,
                                             Map<String, String> typed) {
        var caller = signedIn.caller();
        var zone = signedIn.session().zone();
        MessageView view = views.get(caller, id);
        RecipientState filter = parse(RecipientState.class, state);
        Page<RecipientView> recipients = views.recipients(caller, id, filter, PAGE_SIZE, ConsoleForms.blankToNull(cursor));
        Map<String, Object> model = new HashMap<>();
        model.put("message", MessageModels.detail(view, zone));
        model.put("recipients", recipients.items().stream().map(r -> MessageModels.recipient(r, zone)).toList());
        model.put("states", options(RecipientState.class, filter));
        model.put("state", filter == null ? "" : filter.name());
        model.put("nextCursor", recipients.nextCursor() == null ? "" : recipients.nextCursor());
        model.put("errors", errors);
        model.put("reschedule", typed.isEmpty() ? MessageModels.rescheduleFields(view, zone) : typed);
        recipients.items().stream().filter(r -> recipient != null && r.index() == recipient).findFirst()
                .ifPresent(chosen -> model.put("rendered", rendered(view, chosen)));
        return pages.page(status, "message", signedIn, model);
    }

    /** Moves a scheduled message to a date and time in a zone; a problem shows at its field, as typed. */
    @Post("/messages/{id}/reschedule")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> reschedule(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return moved(request, id, form, (caller, date, time, zone) -> lifecycle.reschedule(caller, id, date + "T" + time,
                zone, null));
    }

    /** Resumes a paused message: at the date and time typed, or, with no date, at its own time (at once when that has passed). */
    @Post("/messages/{id}/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> resume(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return moved(request, id, form, (caller, date, time, zone) -> lifecycle.resume(caller, id,
                date.isBlank() ? null : date + "T" + time, date.isBlank() ? null : zone));
    }

    /** What moves a message to the date, time and zone typed. */
    private interface Move {
        void to(Caller caller, String date, String time, String zone);
    }

    private HttpResponse<String> moved(HttpRequest<?> request, String id, Map<String, String> form, Move move) {
        return requests.form(request, form, (signedIn, fields) -> {
            Map<String, String> typed = Map.of("date", fields.getOrDefault("date", ""), "time", fields.getOrDefault("time", ""),
                    "zone", fields.getOrDefault("zone", ""));
            try {
                move.to(signedIn.caller(), typed.get("date"), typed.get("time"), typed.get("zone"));
                return ConsolePages.seeOther(messagePath(id));
            } catch (ValidationException e) {
                return messagePage(signedIn, id, null, null, null, HttpStatus.BAD_REQUEST,
                        ComposeForm.errorsByField(e.errors()), typed);
            }
        });
    }

    /**
     * The part of a message's page that changes while it sends, which the page fetches again every two
     * seconds. Once the status is no longer the one the page {@code shown}, the whole page is out of date
     * (what may be done, the recipients' outcomes): htmx is told to load it again.
     */
    @Get("/messages/{id}/live")
    HttpResponse<String> live(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String shown) {
        return requests.page(request, signedIn -> {
            MessageView view = views.get(signedIn.caller(), id);
            if (shown != null && !shown.equals(view.message().status().name())) {
                return pages.html(HttpStatus.OK, "").header("HX-Refresh", "true");
            }
            return pages.html(HttpStatus.OK, pages.render("message-live",
                    Map.of("message", MessageModels.detail(view, signedIn.session().zone()))));
        });
    }

    @Post("/messages/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> cancel(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> lifecycle.cancel(signedIn.caller(), id), messagePath(id));
    }

    @Post("/messages/{id}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> pause(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> lifecycle.pause(signedIn.caller(), id), messagePath(id));
    }


    /** The message rendered for one of its recipients, by the renderer that renders its mail. */
    private Map<String, Object> rendered(MessageView view, RecipientView chosen) {
        try {
            MessageTemplates templates = renderer.compile(view.message().subject(), view.message().text(), view.message().html());
            RenderedContent content = templates.render(chosen.recipient().email(), chosen.recipient().name(),
                    chosen.recipient().data());
            return Map.of("email", chosen.recipient().email(), "subject", content.subject(),
                    "text", content.text() == null ? "" : content.text(), "html", content.html() == null ? "" : content.html());
        } catch (TemplateRenderer.InvalidTemplatesException | RuntimeException e) {
            return Map.of("email", chosen.recipient().email(), "problem", "cannot be rendered: " + e.getMessage());
        }
    }

    private static String messagePath(String id) {
        return ConsolePages.path("/messages/", id);
    }

    private static List<Map<String, Object>> options(Class<? extends Enum<?>> type, Enum<?> selected) {
        return MessageModels.statuses(type).stream()
                .map(name -> Map.<String, Object>of("name", name, "selected", selected != null && selected.name().equals(name)))
                .toList();
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
