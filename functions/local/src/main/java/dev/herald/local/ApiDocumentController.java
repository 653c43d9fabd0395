package dev.herald.local;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

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

    private final String webjar = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";

    @Get(uri = "/openapi.yml", produces = "application/yaml")
    HttpResponse<byte[]> document() {
        return HttpResponse.ok(read(DOCUMENT)).contentType("application/yaml");
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
        return HttpResponse.ok(read(resource)).contentType(type)
                .header("Content-Security-Policy", VIEWER_POLICY)
                .header("X-Content-Type-Options", "nosniff");
    }

    private static byte[] read(String resource) {
        try (InputStream in = ApiDocumentController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String webjarVersion() {
        Properties webjar = new Properties();
        try (InputStream in = ApiDocumentController.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return webjar.getProperty("version");
    }
}
