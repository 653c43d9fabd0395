package dev.herald.console;

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
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/**
 * Signing in with a token, once, and out. The sign-in form is guarded like every other form: a
 * secret in a SameSite=Strict cookie of its own must come back in the form (there is no session yet).
 */
@Controller
class SignInController {

    static final String SIGN_IN_COOKIE = "herald_sign_in";
    private final ConsoleSessions sessions;
    private final ConsolePages pages;

    SignInController(ConsoleSessions sessions, ConsolePages pages) {
        this.sessions = sessions;
        this.pages = pages;
    }

    @Get("/sign-in")
    HttpResponse<String> form() {
        return signInPage(HttpStatus.OK, null, "UTC");
    }

    @Post("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> signIn(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        Map<String, String> fields = form == null ? Map.of() : form;
        Optional<String> expected = request.getCookies().findCookie(SIGN_IN_COOKIE).map(Cookie::getValue);
        if (expected.isEmpty() || !expected.get().equals(fields.get(ConsoleForms.CSRF_FIELD))) {
            return ConsoleForms.refused(pages);
        }
        String zoneName = fields.getOrDefault("zone", "UTC");
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            return signInPage(HttpStatus.BAD_REQUEST, Map.of("zone", "is not an IANA time zone"), "UTC");
        }
        return sessions.signIn(fields.get("token"), zone)
                .<HttpResponse<String>>map(session -> ConsolePages.seeOther("/")
                        .cookie(ConsoleSessions.cookie(session.id(), Duration.ofHours(8)))
                        .cookie(signInCookie("", Duration.ZERO)))
                .orElseGet(() -> signInPage(HttpStatus.UNAUTHORIZED, Map.of("token", "is not a valid token"), zone.getId()));
    }

    @Post("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> signOut(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        Optional<ConsoleSessions.SignedIn> signedIn = sessions.find(request);
        if (signedIn.isEmpty()) {
            return ConsolePages.seeOther("/sign-in");
        }
        if (!ConsoleSessions.csrfMatches(signedIn.get().session(), form == null ? null : form.get(ConsoleForms.CSRF_FIELD))) {
            return ConsoleForms.refused(pages);
        }
        sessions.signOut(signedIn.get().session());
        return ConsolePages.seeOther("/sign-in").cookie(ConsoleSessions.cookie("", Duration.ZERO));
    }

    private HttpResponse<String> signInPage(HttpStatus status, Map<String, String> errors, String zone) {
        String secret = ConsoleSessions.secret();
        return pages.html(status, pages.render("sign-in", Map.of("csrf", secret, "zone", zone,
                        "errors", errors == null ? Map.of() : errors)))
                .cookie(signInCookie(secret, Duration.ofMinutes(30)));
    }

    private static Cookie signInCookie(String value, Duration maxAge) {
        return Cookie.of(SIGN_IN_COOKIE, value).httpOnly(true).sameSite(SameSite.Strict).path("/sign-in").maxAge(maxAge);
    }
}
