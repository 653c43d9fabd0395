package dev.herald.console;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.helper.ConditionalHelpers;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's pages: Handlebars templates beside this class (the engine Herald renders mail with),
 * where {@code {{value}}} is always HTML-escaped, answered under a policy that lets a page load and
 * run only what Herald serves itself, and no inline script.
 */
@Singleton
public class ConsolePages {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final Handlebars handlebars = new Handlebars(new ClassPathTemplateLoader("/dev/herald/console/pages", ".html"))
            .registerHelpers(ConditionalHelpers.class);
    private final Map<String, Template> templates = new ConcurrentHashMap<>();

    /** A page for a signed-in browser: the layout shows who it is and carries its CSRF secret to the sign-out form. */
    MutableHttpResponse<String> page(HttpStatus status, String name, ConsoleSessions.SignedIn signedIn, Map<String, ?> model) {
        Map<String, Object> all = new HashMap<>(model);
        all.put("caller", Map.of("id", signedIn.caller().id(), "admin", signedIn.caller().isAdmin(),
                "role", signedIn.caller().role().name().toLowerCase(java.util.Locale.ROOT)));
        all.put("zone", signedIn.session().zone().getId());
        all.put("csrf", signedIn.session().csrf());
        return html(status, render(name, all));
    }

    /** A page or fragment as it stands, for the signed-out sign-in page and for htmx's fragments. */
    MutableHttpResponse<String> html(HttpStatus status, String html) {
        return secured(HttpResponse.<String>status(status).body(html).contentType(MediaType.TEXT_HTML_TYPE))
                .header("Cache-Control", "no-store");
    }

    String render(String name, Map<String, ?> model) {
        Template template = templates.computeIfAbsent(name, n -> {
            try {
                return handlebars.compile(n);
            } catch (IOException e) {
                throw new UncheckedIOException("The console's pages are part of the jar", e);
            }
        });
        try {
            return template.apply(model);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering in memory", e);
        }
    }

    /** The page of the thing {@code id} names under {@code prefix}, such as {@code /lists/} (the id encoded as a path segment). */
    static String path(String prefix, String id) {
        return prefix + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    /** After a form: see the result at {@code location} (303, so that a reload does not post again). */
    static MutableHttpResponse<String> seeOther(String location) {
        return secured(HttpResponse.<String>status(HttpStatus.SEE_OTHER).header("Location", URI.create(location).toString()));
    }

    static <T> MutableHttpResponse<T> secured(MutableHttpResponse<T> response) {
        return response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin");
    }
}
