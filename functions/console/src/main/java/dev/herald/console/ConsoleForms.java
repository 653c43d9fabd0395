package dev.herald.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

import java.util.Map;

/** What every console form shares: the CSRF field, and the answer to a form without it. */
final class ConsoleForms {

    static final String CSRF_FIELD = "_csrf";

    private ConsoleForms() {
    }

    /** A post whose form did not carry the page's secret: refused, nothing done. */
    static HttpResponse<String> refused(ConsolePages pages) {
        return pages.html(HttpStatus.FORBIDDEN, pages.render("refused", Map.of()));
    }
}
