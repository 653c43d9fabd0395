package dev.herald.web;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.unsubscribe.ListHeaders;
import dev.herald.core.unsubscribe.UnsubscribeService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;

import java.util.List;
import java.util.Map;

/**
 * The unsubscribe links, without a login. {@code POST} with {@code List-Unsubscribe=One-Click} (RFC
 * 8058's one-click, which mail clients send, form-encoded or multipart) unsubscribes; {@code GET}
 * only shows a page whose button makes that POST, so that a link scanner fetching the link
 * unsubscribes nobody.
 */
@Controller("/v1/unsubscribe")
public class UnsubscribeController {

    /** Nothing loads and no script runs; the page's one form posts back to itself. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private final UnsubscribeService unsubscribe;
    private final UnsubscribePages pages;

    public UnsubscribeController(UnsubscribeService unsubscribe, UnsubscribePages pages) {
        this.unsubscribe = unsubscribe;
        this.pages = pages;
    }

    @Get("/{token}")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> confirm(@PathVariable String token) {
        try {
            return page(HttpStatus.OK, pages.confirm(unsubscribe.confirmation(token)));
        } catch (NotFoundException e) {
            return page(HttpStatus.NOT_FOUND, pages.invalid());
        }
    }

    @Post("/{token}")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> unsubscribe(HttpRequest<?> request, @PathVariable String token, @Nullable @Body byte[] body) {
        // The Lambda adapter hands a form-encoded body over decoded (a map), the Netty server as it came.
        List<OneClickForm.Field> fields = body != null ? OneClickForm.parse(request.getContentType().orElse(null), body)
                : request.getBody().filter(Map.class::isInstance).map(decoded -> OneClickForm.fields((Map<?, ?>) decoded))
                .orElse(List.of());
        if (fields.size() != 1 || !fields.get(0).equals(OneClickForm.Field.ONE_CLICK)) {
            throw new ValidationException(List.of(new FieldError("body", "must be " + ListHeaders.ONE_CLICK
                    + ", form-encoded or as multipart/form-data")));
        }
        return page(HttpStatus.OK, pages.done(unsubscribe.unsubscribe(token)));
    }

    private static MutableHttpResponse<String> page(HttpStatus status, String html) {
        return HttpResponse.<String>status(status).body(html).contentType(MediaType.TEXT_HTML_TYPE)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff");
    }
}
