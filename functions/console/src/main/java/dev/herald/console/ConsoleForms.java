package dev.herald.console;

import dev.herald.core.access.Caller;
import dev.herald.core.audience.ListService;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What every console form shares: the CSRF field, the answer to a form without it, what a blank field means, how a
 * field typed one item a line reads, and the caller's lists to pick from.
 */
final class ConsoleForms {

    static final String CSRF_FIELD = "_csrf";

    private ConsoleForms() {
    }

    /** A field left blank, or a query parameter absent, as the services take it: no value. */
    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A field typed one item a line: its lines that are not blank, trimmed. */
    static Stream<String> lines(String typed) {
        return Arrays.stream(typed.split("\\R")).map(String::trim).filter(line -> !line.isEmpty());
    }

    /** The caller's lists (its first hundred) as a select offers them, {@code selected} chosen. */
    static List<Map<String, Object>> listChoices(ListService lists, Caller caller, String selected) {
        return lists.list(caller, null, 100).items().stream()
                .map(list -> Map.<String, Object>of("id", list.id(), "name", list.name(), "selected", list.id().equals(selected)))
                .toList();
    }

    /** A post whose form did not carry the page's secret: refused, nothing done. */
    static HttpResponse<String> refused(ConsolePages pages) {
        return pages.html(HttpStatus.FORBIDDEN, pages.render("refused", Map.of()));
    }
}
