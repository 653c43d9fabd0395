package dev.herald.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

import java.util.Map;

/** What every console form shares: the CSRF field, the answer to a form without it, and what a blank field means. */
final class ConsoleForms {

    static final String CSRF_FIELD = "_csrf";

    private ConsoleForms() {
    }

    /** A field left blank, or a query parameter absent, as the services take it: no value. */
    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A post whose form did not carry the page's secret: refused, nothing done. */
    static HttpResponse<String> refused(ConsolePages pages) {
        return pages.html(HttpStatus.FORBIDDEN, pages.render("refused", Map.of()));
    }
}
