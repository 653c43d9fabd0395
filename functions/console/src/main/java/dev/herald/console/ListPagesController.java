package dev.herald.console;

import dev.herald.core.audience.ListService;
import dev.herald.core.audience.MemberInput;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.Page;
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
import java.util.function.BiConsumer;

/**
 * Lists, the stored audiences: a caller's own (an admin's: every one), created for a message system;
 * a list's members, paged, added or updated by pasting them one a line (all or none), removed the same
 * way; rename and delete.
 */
@Controller("/lists")
class ListPagesController {

    private static final int PAGE_SIZE = 50;

    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final ListService lists;

    ListPagesController(ConsoleRequests requests, ConsolePages pages, ListService lists) {
        this.requests = requests;
        this.pages = pages;
        this.lists = lists;
    }

    @Get
    HttpResponse<String> all(HttpRequest<?> request, @Nullable @QueryValue String cursor) {
        return requests.page(request, signedIn -> listsPage(HttpStatus.OK, signedIn, cursor,
                Map.of("name", "", "messageSystem", "outbox"), Map.of()));
    }

    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            Map<String, String> typed = Map.of("name", fields.getOrDefault("name", ""),
                    "messageSystem", fields.getOrDefault("messageSystem", ""));
            try {
                AudienceList created = lists.create(signedIn.caller(), ConsoleForms.blankToNull(typed.get("messageSystem").trim()),
                        typed.get("name"));
                return ConsolePages.seeOther(path(created.id()));
            } catch (ValidationException e) {
                return listsPage(HttpStatus.BAD_REQUEST, signedIn, null, typed, FormErrors.byField(e.errors()));
            }
        });
    }

    @Get("/{id}")
    HttpResponse<String> list(HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String cursor) {
        return requests.page(request, signedIn -> listPage(HttpStatus.OK, signedIn, id, cursor, Map.of(), Map.of()));
    }

    /** Adds the members pasted, or updates the ones the list has; a bad line is named by its line, and then none is. */
    @Post("/{id}/members")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> putMembers(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return pasted(request, id, form, "members", (signedIn, lines) -> lists.putMembers(signedIn.caller(), id, lines.stream()
                .map(line -> new MemberInput(line.email(), line.name(), Map.of(), line.timeZone())).toList()));
    }

    @Post("/{id}/members/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> removeMembers(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return pasted(request, id, form, "addresses", (signedIn, lines) ->
                lists.removeMembers(signedIn.caller(), id, lines.stream().map(PastedLines::email).toList()));
    }

    /** A form of lines pasted into {@code field} (named as the API's array is): done, or its problems by line. */
    private HttpResponse<String> pasted(HttpRequest<?> request, String id, Map<String, String> form, String field,
                                        BiConsumer<ConsoleSessions.SignedIn, List<PastedLines>> action) {
        return requests.form(request, form, (signedIn, fields) -> {
            String typed = fields.getOrDefault(field, "");
            try {
                action.accept(signedIn, PastedLines.of(typed));
                return ConsolePages.seeOther(path(id));
            } catch (ValidationException e) {
                return listPage(HttpStatus.BAD_REQUEST, signedIn, id, null, Map.of(field, typed),
                        FormErrors.byField(e.errors(), FormErrors.atLines(field, field)));
            }
        });
    }

    @Post("/{id}/rename")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> rename(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            String name = fields.getOrDefault("name", "");
            try {
                lists.rename(signedIn.caller(), id, name);
                return ConsolePages.seeOther(path(id));
            } catch (ValidationException e) {
                return listPage(HttpStatus.BAD_REQUEST, signedIn, id, null, Map.of("name", name), FormErrors.byField(e.errors()));
            }
        });
    }

    /** Deletes the list: it takes no members or messages from now on; its members go at once or over the next sweeps. */
    @Post("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> delete(HttpRequest<?> request, @PathVariable String id, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> lists.delete(signedIn.caller(), id), "/lists");
    }

    private HttpResponse<String> listsPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, String cursor,
                                           Map<String, String> typed, Map<String, String> errors) {
        Page<AudienceList> page = lists.list(signedIn.caller(), ConsoleForms.blankToNull(cursor), PAGE_SIZE);
        return pages.page(status, "lists", signedIn, Map.of("lists", page.items().stream().map(ListPagesController::summary).toList(),
                "nextCursor", page.nextCursor() == null ? "" : page.nextCursor(), "form", typed, "errors", errors));
    }

    private HttpResponse<String> listPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, String id, String cursor,
                                          Map<String, String> typed, Map<String, String> errors) {
        AudienceList list = lists.get(signedIn.caller(), id);
        Page<ListMember> members = lists.members(signedIn.caller(), id, ConsoleForms.blankToNull(cursor), PAGE_SIZE);
        Map<String, Object> model = new HashMap<>();
        model.put("list", summary(list));
        model.put("members", members.items().stream().map(member -> Map.of("email", member.email(),
                "name", member.name() == null ? "" : member.name(),
                "timeZone", member.timeZone() == null ? "" : member.timeZone())).toList());
        model.put("nextCursor", members.nextCursor() == null ? "" : members.nextCursor());
        model.put("typed", typed);
        model.put("errors", errors);
        return pages.page(status, "list", signedIn, model);
    }

    private static Map<String, Object> summary(AudienceList list) {
        return Map.of("id", list.id(), "name", list.name(), "messageSystem", list.messageSystemId(),
                "memberCount", list.memberCount(), "state", list.state().name());
    }

    private static String path(String id) {
        return ConsolePages.path("/lists/", id);
    }
}
