package dev.herald.local;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document: it lists exactly the API's routes, is served with its viewer, and its checks can fail. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocumentTest {


    @TempDir
    static Path dataDir;
    private EmbeddedServer server;
    private Api api;

    @BeforeAll
    void start() {
        server = LocalServers.start(dataDir, Map.of());
        api = new Api(server.getURL().toString());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void everyApiRoute_isDocumented_andEveryDocumentedOperation_isARoute() {
        List<String> routes = server.getApplicationContext().getBean(Router.class).uriRoutes()
                .map(route -> route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString())
                .filter(route -> route.contains(" /v1/"))
                .distinct().toList();

        List<String> heads = routes.stream().filter(route -> route.startsWith("HEAD ")).toList();
        List<String> others = routes.stream().filter(route -> !route.startsWith("HEAD ")).toList();

        assertThat(others).hasSizeGreaterThan(40);
        assertThat(OpenApiContract.DOCUMENT.operations()).containsExactlyInAnyOrderElementsOf(others);
        assertThat(heads).as("the router's HEAD for each GET").allSatisfy(head -> assertThat(others).contains("GET" + head.substring(4)));
    }

    @Test
    void theDocument_isOpenApi31_withBothSecuritySchemes_servedAsTheBuildWroteIt() throws IOException {
        Api.Response served = api.get("/openapi.yml", null);

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.contentType()).startsWith("application/yaml");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ApiDocumentController.DOCUMENT)) {
            assertThat(served.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        var document = OpenApiContract.DOCUMENT.document();
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/components/securitySchemes/token/scheme").asText()).isEqualTo("bearer");
        assertThat(document.at("/components/securitySchemes/jwt/bearerFormat").asText()).isEqualTo("JWT");
        assertThat(document.at("/paths/~1v1~1messages/post/requestBody/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/ScheduleRequest");
        assertThat(document.at("/paths/~1v1~1messages/post/security").toString()).isEqualTo("[{\"token\":[]},{\"jwt\":[]}]");
        assertThat(document.has("security")).isFalse();
        assertThat(document.at("/paths/~1v1~1health/get").has("security")).as("health needs no token").isFalse();
    }

    @Test
    void theViewer_isServedFromTheJar_underAPolicyThatAllowsNoOtherHost() {
        Api.Response page = api.get("/openapi/ui/", null);
        Api.Response script = api.get("/openapi/ui/herald-openapi.js", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'")
                .doesNotContain("http", "script-src 'self' 'unsafe-inline'");
        assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("http", "<script>");
        assertThat(script.body()).contains("'/openapi.yml'", "validatorUrl: null").doesNotContain("http");
        assertThat(api.get("/openapi/ui/swagger-ui-bundle.js", null).status()).isEqualTo(200);
        assertThat(api.get("/openapi/ui/swagger-initializer.js", null).status()).as("the webjar's own, pointing elsewhere")
                .isEqualTo(404);
    }

    @Test
    void theContract_findsWhatTheDocumentDoesNotSay() {
        OpenApiContract contract = OpenApiContract.DOCUMENT;
        byte[] unknownField = "{\"name\":\"x\",\"role\":\"sender\",\"colour\":\"red\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(contract.violations(new OpenApiContract.Exchange("GET", "/v1/messages", null, null, 418,
                "application/json", "{}"))).singleElement().asString().contains("answered 418");
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", "/v1/lists/l1", null, null, 200,
                "application/json", "{\"id\":\"l1\"}"))).anySatisfy(v -> assertThat(v).contains("messageSystem"));
        assertThat(contract.violations(new OpenApiContract.Exchange("POST", "/v1/tokens", "application/json", unknownField,
                201, "application/json", "{\"id\":\"t\",\"name\":\"x\",\"role\":\"sender\",\"token\":\"s\",\"createdAt\":\"now\"}")))
                .anySatisfy(v -> assertThat(v).contains("request body", "colour"));
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", "/v1/lists?size=3", null, null, 200,
                "application/json", "{\"items\":[]}"))).singleElement().asString().contains("query parameter size");
        assertThat(contract.violations(new OpenApiContract.Exchange("GET", "/v1/nowhere", null, null, 404,
                "application/problem+json", "{}"))).as("the router's own 404").isEmpty();
    }
}
