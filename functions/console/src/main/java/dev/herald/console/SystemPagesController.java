package dev.herald.console;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageSystem;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;

import java.util.HashMap;
import java.util.Map;

/**
 * Message systems, for admins (the service refuses anyone else, as the API does): the list, a form
 * to create one or rewrite its settings, its job account (write-only: the password is never shown,
 * nor kept in a form that comes back), and its deletion.
 */
@Controller("/admin/systems")
class SystemPagesController {

    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final MessageSystemService systems;

    SystemPagesController(ConsoleRequests requests, ConsolePages pages, MessageSystemService systems) {
        this.requests = requests;
        this.pages = pages;
        this.systems = systems;
    }

    @Get
    HttpResponse<String> list(HttpRequest<?> request) {
        return requests.page(request, signedIn -> pages.page(HttpStatus.OK, "systems", signedIn, Map.of("systems",
                systems.list(signedIn.caller()).stream().map(system -> summary(system, signedIn)).toList())));
    }

    @Get("/new")
    HttpResponse<String> blank(HttpRequest<?> request) {
        return requests.page(request, signedIn -> {
            signedIn.caller().requireAdmin();
            return systemPage(HttpStatus.OK, signedIn, null, SystemForm.blank(), Map.of());
        });
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            SystemForm typed = SystemForm.of(fields);
            try {
                return ConsolePages.seeOther(path(systems.create(signedIn.caller(), typed.spec()).id()));
            } catch (ValidationException e) {
                return systemPage(HttpStatus.BAD_REQUEST, signedIn, null, typed, SystemForm.errors(e.errors()));
            }
        });
    }

    @Get("/{id}")
    HttpResponse<String> system(HttpRequest<?> request, @PathVariable String id) {
        return requests.page(request, signedIn -> {
            MessageSystem system = systems.get(signedIn.caller(), id);
            return systemPage(HttpStatus.OK, signedIn, system, SystemForm.of(system), Map.of());
        });
    }

    @Post("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> update(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            SystemForm typed = SystemForm.of(fields);
            try {
                systems.update(signedIn.caller(), id, typed.spec());
                return ConsolePages.seeOther(path(id));
            } catch (ValidationException e) {
                return systemPage(HttpStatus.BAD_REQUEST, signedIn, systems.get(signedIn.caller(), id), typed,
                        SystemForm.errors(e.errors()));
            }
        });
    }

    /** Sets the job account; on a problem the name comes back as typed, the password never does. */
    @Post("/{id}/job-account")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> setJobAccount(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            String name = fields.getOrDefault("jobAccountName", "");
            try {
                systems.setJobAccount(signedIn.caller(), id, name, fields.getOrDefault("jobAccountPassword", ""));
                return ConsolePages.seeOther(path(id));
            } catch (ValidationException e) {
                MessageSystem existing = systems.get(signedIn.caller(), id);
                Map<String, String> errors = FormErrors.byField(e.errors(), error -> new FieldError(
                        "jobAccount" + Character.toUpperCase(error.field().charAt(0)) + error.field().substring(1), error.message()));
                Map<String, Object> model = new HashMap<>();
                model.put("jobAccountName", name);
                return systemPage(HttpStatus.BAD_REQUEST, signedIn, existing, SystemForm.of(existing), errors, model);
            }
        });
    }

    @Post("/{id}/job-account/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> removeJobAccount(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> systems.removeJobAccount(signedIn.caller(), id), path(id));
    }

    @Post("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> delete(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> systems.delete(signedIn.caller(), id), "/admin/systems");
    }

    private HttpResponse<String> systemPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, MessageSystem existing,
                                            SystemForm form, Map<String, String> errors) {
        return systemPage(status, signedIn, existing, form, errors, Map.of());
    }

    private HttpResponse<String> systemPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, MessageSystem existing,
                                            SystemForm form, Map<String, String> errors, Map<String, Object> more) {
        Map<String, Object> model = new HashMap<>(more);
        // Templates read a field path such as smtp.host as smtp_host (a dot there would walk into a map).
        model.put("form", underscored(form.typed()));
        model.put("errors", underscored(errors));
        if (existing != null) {
            model.put("system", summary(existing, signedIn));
        }
        return pages.page(status, "system", signedIn, model);
    }

    private static Map<String, Object> summary(MessageSystem system, ConsoleSessions.SignedIn signedIn) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", system.id());
        row.put("name", system.name());
        row.put("enabled", system.enabled());
        row.put("transport", system.transport().wireName());
        row.put("from", system.from().email());
        row.put("maxSendRate", system.maxSendRate() == null ? "the provider's" : system.maxSendRate() + " a second");
        row.put("jobAccount", system.hasJobAccount() ? system.jobAccount().name() : "");
        row.put("updatedAt", MessageModels.at(system.updatedAt(), signedIn.session().zone()));
        return row;
    }

    private static Map<String, String> underscored(Map<String, String> values) {
        Map<String, String> model = new HashMap<>();
        values.forEach((key, value) -> model.put(key.replace('.', '_'), value));
        return model;
    }

    private static String path(String id) {
        return ConsolePages.path("/admin/systems/", id);
    }
}
