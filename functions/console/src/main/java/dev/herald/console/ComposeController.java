package dev.herald.console;

import dev.herald.core.audience.ListService;
import dev.herald.core.error.HeraldException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.render.RenderedContent;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.system.MessageSystemService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The compose dialog: write a message, see it rendered by Herald's own renderer for a sample
 * recipient and its instant resolved, send a test to one address, then schedule it. A form with a
 * problem comes back with the API's words at the field at fault, as typed, and nothing written.
 */
@Controller("/compose")
class ComposeController {

    private static final Map<String, Object> SAMPLE = Map.of("email", "sample@example.com", "name", "Sample");
    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final ScheduleService schedule;
    private final TemplateRenderer renderer;
    private final MessageSystemService systems;
    private final ListService lists;

    ComposeController(ConsoleRequests requests, ConsolePages pages, ScheduleService schedule, TemplateRenderer renderer,
                      MessageSystemService systems, ListService lists) {
        this.requests = requests;
        this.pages = pages;
        this.schedule = schedule;
        this.renderer = renderer;
        this.systems = systems;
        this.lists = lists;
    }

    @Get
    HttpResponse<String> form(HttpRequest<?> request) {
        return requests.page(request, signedIn -> {
            String zone = signedIn.session().zone().getId();
            ComposeForm blank = new ComposeForm("outbox", "", "", "", "", "",
                    LocalDate.now(signedIn.session().zone()).plusDays(1).toString(), "09:00", zone, false, ComposeForm.Limits.NONE);
            return page(HttpStatus.OK, signedIn, blank, Map.of(), null);
        });
    }

    /** The preview beside the form, fetched by htmx as the user types. */
    @Post("/preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> preview(HttpRequest<?> request, @Nullable @Body Map<String, String> body) {
        return requests.form(request, body, (signedIn, fields) ->
                pages.html(HttpStatus.OK, pages.render("compose-preview", preview(signedIn, ComposeForm.of(fields)))));
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> submit(HttpRequest<?> request, @Nullable @Body Map<String, String> body) {
        return requests.form(request, body, (signedIn, fields) -> {
            ComposeForm form = ComposeForm.of(fields);
            try {
                var accepted = schedule.schedule(signedIn.caller(), form.request(), null, UUID.randomUUID().toString());
                return ConsolePages.seeOther(ConsolePages.path("/messages/", accepted.view().message().id()));
            } catch (ValidationException e) {
                return page(HttpStatus.BAD_REQUEST, signedIn, form, ComposeForm.errorsByField(e.errors()), null);
            } catch (HeraldException e) {
                return page(HttpStatus.valueOf(dev.herald.web.HeraldExceptionHandler.problem(e, "").status()), signedIn,
                        form, Map.of("form", e.getMessage()), null);
            }
        });
    }

    /** The same content, sent now to one address; the form stays as it was for the real send. */
    @Post("/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> test(HttpRequest<?> request, @Nullable @Body Map<String, String> body) {
        return requests.form(request, body, (signedIn, fields) -> {
            ComposeForm form = ComposeForm.of(fields);
            String address = fields.getOrDefault("testAddress", "");
            try {
                var accepted = schedule.schedule(signedIn.caller(), form.testTo(address), null, UUID.randomUUID().toString());
                return page(HttpStatus.OK, signedIn, form, Map.of(),
                        Map.of("address", address, "id", accepted.view().message().id()));
            } catch (ValidationException e) {
                Map<String, String> errors = new HashMap<>(ComposeForm.errorsByField(e.errors()));
                Optional.ofNullable(errors.remove("recipients")).ifPresent(message -> errors.put("testAddress", message));
                return page(HttpStatus.BAD_REQUEST, signedIn, form, errors, null);
            }
        });
    }

    private HttpResponse<String> page(HttpStatus status, ConsoleSessions.SignedIn signedIn, ComposeForm form,
                                      Map<String, String> errors, Map<String, String> testSent) {
        Map<String, Object> model = new HashMap<>();
        model.put("form", form.values());
        model.put("errors", errors);
        model.put("preview", preview(signedIn, form));
        model.put("lists", ConsoleForms.listChoices(lists, signedIn.caller(), form.list()));
        model.put("systems", signedIn.caller().isAdmin() ? systems.list(signedIn.caller()).stream()
                .map(system -> system.id()).toList() : List.of());
        if (testSent != null) {
            model.put("testSent", testSent);
        }
        return pages.page(status, "compose", signedIn, model);
    }

    private Map<String, Object> preview(ConsoleSessions.SignedIn signedIn, ComposeForm form) {
        Map<String, Object> preview = new HashMap<>();
        List<RecipientInput> pasted = form.pastedRecipients();
        RecipientInput sample = pasted.isEmpty() ? null : pasted.get(0);
        String email = sample == null ? (String) SAMPLE.get("email") : sample.email();
        preview.put("for", email);
        try {
            RenderedContent content = renderer.compile(form.subject(), form.text().isEmpty() ? null : form.text(),
                    form.html().isEmpty() ? null : form.html()).render(email, sample == null ? (String) SAMPLE.get("name")
                    : sample.name(), Map.of());
            preview.put("subject", content.subject());
            preview.put("text", content.text() == null ? "" : content.text());
            preview.put("html", content.html() == null ? "" : content.html());
        } catch (TemplateRenderer.InvalidTemplatesException e) {
            preview.put("problems", e.problems().stream().map(p -> p.field() + ": " + p.message()).toList());
        } catch (RuntimeException e) {
            preview.put("problems", List.of(e.getMessage()));
        }
        preview.put("instant", form.instant(signedIn.session().zone()));
        return preview;
    }
}
