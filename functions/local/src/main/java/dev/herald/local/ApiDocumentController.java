package dev.herald.local;

import dev.herald.console.JarResources;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.util.Map;

/**
 * The OpenAPI document that the build writes from the controllers, at {@code /openapi.yml}, and
 * Swagger UI on it at {@code /openapi/ui/}: every file from the jar, nothing from another host.
 */
@Controller
class ApiDocumentController {

    static final String DOCUMENT = "META-INF/swagger/herald.yml";
    /** Swagger UI keeps its styles in attributes, so the viewer's pages allow inline styles, not inline scripts. */
    private static final String VIEWER_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final String OWN_FILES = "dev/herald/local/openapi-ui/";
    private static final Map<String, MediaType> VIEWER_FILES = Map.of(
            "index.html", MediaType.TEXT_HTML_TYPE,
            "herald-openapi.js", MediaType.of("text/javascript"),
            "swagger-ui.css", MediaType.of("text/css"),
            "swagger-ui-bundle.js", MediaType.of("text/javascript"));

    private final String webjar = JarResources.webjar("org.webjars", "swagger-ui");

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(JarResources.read(DOCUMENT)).contentType("application/yaml");
    }

    @Get("/openapi/ui/")
    HttpResponse<byte[]> viewer() {
        return viewerFile("index.html");
    }

    @Get("/openapi/ui/{file}")
    HttpResponse<byte[]> viewerFile(@PathVariable String file) {
        MediaType type = VIEWER_FILES.get(file);
        if (type == null) {
            return HttpResponse.notFound();
        }
        String resource = file.startsWith("swagger-ui") ? webjar + file : OWN_FILES + file;
        return HttpResponse.ok(JarResources.read(resource)).contentType(type)
                .header("Content-Security-Policy", VIEWER_POLICY)
                .header("X-Content-Type-Options", "nosniff");
    }
}
