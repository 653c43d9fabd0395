package dev.herald.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;

import java.util.Map;

/** The console's style, its one script, and htmx from its webjar: a fixed set of files from the jar. */
@Controller("/console")
class ConsoleAssetsController {

    private static final String OWN = "dev/herald/console/assets/";
    private static final Map<String, MediaType> FILES = Map.of(
            "console.css", MediaType.of("text/css"),
            "console.js", MediaType.of("text/javascript"),
            "htmx.min.js", MediaType.of("text/javascript"));

    private final String htmx = JarResources.webjar("org.webjars.npm", "htmx.org") + "dist/";

    @Get("/{file}")
    HttpResponse<byte[]> file(@PathVariable String file) {
        MediaType type = FILES.get(file);
        if (type == null) {
            return HttpResponse.notFound();
        }
        return ConsolePages.secured(HttpResponse.ok(JarResources.read(file.startsWith("htmx") ? htmx + file : OWN + file)).contentType(type))
                .header("Cache-Control", "max-age=300");
    }
}
