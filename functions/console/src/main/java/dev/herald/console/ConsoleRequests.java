package dev.herald.console;

import dev.herald.core.error.HeraldException;
import dev.herald.web.HeraldExceptionHandler;
import dev.herald.web.Problem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How every console page and form starts and fails: a browser that is not signed in is sent to
 * sign in, a form without the session's CSRF secret is refused with nothing done, and a problem the
 * services raise (a sender on an admin page: 403) becomes a page with the API's words.
 */
@Singleton
class ConsoleRequests {

    private final ConsoleSessions sessions;
    private final ConsolePages pages;

    ConsoleRequests(ConsoleSessions sessions, ConsolePages pages) {
        this.sessions = sessions;
        this.pages = pages;
    }

    /** A page for a signed-in browser. */
    HttpResponse<String> page(HttpRequest<?> request, Function<ConsoleSessions.SignedIn, HttpResponse<String>> handler) {
        Optional<ConsoleSessions.SignedIn> signedIn = sessions.find(request);
        if (signedIn.isEmpty()) {
            return ConsolePages.seeOther("/sign-in");
        }
        try {
            return handler.apply(signedIn.get());
        } catch (HeraldException e) {
            return problem(signedIn.get(), e);
        }
    }

    /** A form posted by a signed-in browser, with the session's CSRF secret in it. */
    HttpResponse<String> form(HttpRequest<?> request, Map<String, String> form,
                              BiFunction<ConsoleSessions.SignedIn, Map<String, String>, HttpResponse<String>> handler) {
        Map<String, String> fields = form == null ? Map.of() : form;
        return page(request, signedIn -> ConsoleSessions.csrfMatches(signedIn.session(), fields.get(ConsoleForms.CSRF_FIELD))
                ? handler.apply(signedIn, fields)
                : ConsoleForms.refused(pages));
    }

    /** A form that does one thing, then shows the page at {@code then} (303, so that a reload does not post again). */
    HttpResponse<String> act(HttpRequest<?> request, Map<String, String> form,
                             BiConsumer<ConsoleSessions.SignedIn, Map<String, String>> action, String then) {
        return form(request, form, (signedIn, fields) -> {
            action.accept(signedIn, fields);
            return ConsolePages.seeOther(then);
        });
    }

    HttpResponse<String> problem(ConsoleSessions.SignedIn signedIn, HeraldException e) {
        Problem problem = HeraldExceptionHandler.problem(e, "");
        return pages.page(HttpStatus.valueOf(problem.status()), "problem", signedIn, Map.of("status", problem.status(),
                "title", problem.title(), "detail", problem.detail() == null ? "" : problem.detail()));
    }
}
