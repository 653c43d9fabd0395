package dev.herald.console;

import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Page;
import dev.herald.core.model.Suppression;
import dev.herald.core.suppression.SuppressionService;
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
import java.util.Map;

/**
 * A message system's suppression list, for admins: who is on it, why and since when (paged), adding
 * addresses by hand, one a line, and taking one off.
 */
@Controller("/admin/systems/{id}/suppressions")
class SuppressionPagesController {

    private static final int PAGE_SIZE = 50;

    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final SuppressionService suppressions;

    SuppressionPagesController(ConsoleRequests requests, ConsolePages pages, SuppressionService suppressions) {
        this.requests = requests;
        this.pages = pages;
        this.suppressions = suppressions;
    }

    @Get
    HttpResponse<String> list(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String cursor) {
        return requests.page(request, signedIn -> listPage(HttpStatus.OK, signedIn, id, cursor, "", Map.of()));
    }

    /** Adds the addresses typed, one a line; a bad one is named by its line, and then none is added. */
    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> add(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            String typed = fields.getOrDefault("addresses", "");
            List<String> addresses = ConsoleForms.lines(typed).toList();
            try {
                suppressions.add(signedIn.caller(), id, addresses);
                return ConsolePages.seeOther(path(id));
            } catch (ValidationException e) {
                return listPage(HttpStatus.BAD_REQUEST, signedIn, id, null, typed,
                        FormErrors.byField(e.errors(), FormErrors.atLines("addresses", "addresses")));
            }
        });
    }

    @Post("/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> remove(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) ->
                suppressions.remove(signedIn.caller(), id, fields.getOrDefault("address", "")), path(id));
    }

    private HttpResponse<String> listPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, String id, String cursor,
                                          String typed, Map<String, String> errors) {
        Page<Suppression> page = suppressions.list(signedIn.caller(), id, ConsoleForms.blankToNull(cursor), PAGE_SIZE);
        Map<String, Object> model = new HashMap<>();
        model.put("systemId", id);
        model.put("entries", page.items().stream().map(entry -> Map.of("address", entry.address(),
                "reason", entry.reason().name(), "at", MessageModels.at(entry.at(), signedIn.session().zone()),
                "messageId", entry.messageId() == null ? "" : entry.messageId())).toList());
        model.put("nextCursor", page.nextCursor() == null ? "" : page.nextCursor());
        model.put("addresses", typed);
        model.put("errors", errors);
        return pages.page(status, "suppressions", signedIn, model);
    }

    private static String path(String id) {
        return ConsolePages.path("/admin/systems/", id) + "/suppressions";
    }
}
