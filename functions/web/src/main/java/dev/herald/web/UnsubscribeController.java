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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/**
 * The unsubscribe links, without a login. {@code POST} with {@code List-Unsubscribe=One-Click} (RFC
 * 8058's one-click, which mail clients send, form-encoded or multipart) unsubscribes; {@code GET}
 * only shows a page whose button makes that POST, so that a link scanner fetching the link
 * unsubscribes nobody.
 */
@Tag(name = "Unsubscribe")
@ApiDocument.RequestLimits
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

    @Operation(operationId = "unsubscribePage", summary = "The page of an unsubscribe link, with its one button")
    @ApiResponse(responseCode = "200", description = "The page", content = @Content(mediaType = MediaType.TEXT_HTML,
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "A link Herald did not make, or whose message is gone",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = "string")))
    @Get("/{token}")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> confirm(@PathVariable String token) {
        try {
            return page(HttpStatus.OK, pages.confirm(unsubscribe.confirmation(token)));
        } catch (NotFoundException e) {
            return page(HttpStatus.NOT_FOUND, pages.invalid());
        }
    }

    @Operation(operationId = "unsubscribe", summary = "Unsubscribe: RFC 8058's one-click POST, as mail clients send it")
    @ApiResponse(responseCode = "200", description = "Unsubscribed", content = @Content(mediaType = MediaType.TEXT_HTML,
            schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "Not a one-click body",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "A link Herald did not make, or whose message is gone",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{token}")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> unsubscribe(HttpRequest<?> request, @PathVariable String token,
            @RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(ref = "OneClickUnsubscribe")),
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(ref = "OneClickUnsubscribe"))})
            @Nullable @Body byte[] body) {
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
