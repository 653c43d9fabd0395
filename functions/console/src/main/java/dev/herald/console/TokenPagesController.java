package dev.herald.console;

import dev.herald.core.access.TokenService;
import dev.herald.core.error.ValidationException;
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

import java.util.HashMap;
import java.util.Map;

/**
 * Tokens, for admins: who holds one and when it was last used (never a secret, which is not
 * stored), a new one shown once on the page that issues it, and revocation.
 */
@Controller("/admin/tokens")
class TokenPagesController {

    private final ConsoleRequests requests;
    private final ConsolePages pages;
    private final TokenService tokens;

    TokenPagesController(ConsoleRequests requests, ConsolePages pages, TokenService tokens) {
        this.requests = requests;
        this.pages = pages;
        this.tokens = tokens;
    }

    @Get
    HttpResponse<String> list(HttpRequest<?> request) {
        return requests.page(request, signedIn -> tokensPage(HttpStatus.OK, signedIn, Map.of("name", "", "role", "sender"),
                Map.of(), null));
    }

    /** Issues a token; the page that answers is the only place its secret is ever shown. */
    @Post
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> create(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        return requests.form(request, form, (signedIn, fields) -> {
            Map<String, String> typed = Map.of("name", fields.getOrDefault("name", ""), "role", fields.getOrDefault("role", ""));
            try {
                TokenService.IssuedToken issued = tokens.create(signedIn.caller(), typed.get("name"), typed.get("role"));
                return tokensPage(HttpStatus.CREATED, signedIn, Map.of("name", "", "role", "sender"), Map.of(),
                        Map.of("name", issued.token().name(), "token", issued.plaintext()));
            } catch (ValidationException e) {
                return tokensPage(HttpStatus.BAD_REQUEST, signedIn, typed, FormErrors.byField(e.errors()), null);
            }
        });
    }

    @Post("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> revoke(HttpRequest<?> request, @Nullable @Body Map<String, String> form) {
        return requests.act(request, form, (signedIn, fields) -> tokens.revoke(signedIn.caller(), fields.getOrDefault("id", "")),
                "/admin/tokens");
    }

    private HttpResponse<String> tokensPage(HttpStatus status, ConsoleSessions.SignedIn signedIn, Map<String, String> typed,
                                            Map<String, String> errors, Map<String, String> issued) {
        var zone = signedIn.session().zone();
        Map<String, Object> model = new HashMap<>();
        model.put("tokens", tokens.list(signedIn.caller()).stream().map(token -> Map.of("id", token.id(), "name", token.name(),
                "role", token.role().wireName(), "createdAt", MessageModels.at(token.createdAt(), zone),
                "lastUsedAt", MessageModels.at(token.lastUsedAt(), zone), "yours", token.id().equals(signedIn.caller().id())))
                .toList());
        model.put("form", typed);
        model.put("admin", "admin".equals(typed.get("role")));
        model.put("errors", errors);
        if (issued != null) {
            model.put("issued", issued);
        }
        return pages.page(status, "tokens", signedIn, model);
    }
}
