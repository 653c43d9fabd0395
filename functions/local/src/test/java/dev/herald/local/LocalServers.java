package dev.herald.local;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The local runtime in the test's JVM: on a free port, over the test's data directory, with a known admin token. */
final class LocalServers {

    static final String ADMIN = "test-admin-token-0123456789";

    private LocalServers() {
    }

    /** Starts one; {@code settings} add to (or override) those three. */
    static EmbeddedServer start(Path dataDir, Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(Map.of("herald.data-dir", dataDir.toString(), "herald.admin-token", ADMIN,
                "micronaut.server.port", -1));
        all.putAll(settings);
        return ApplicationContext.run(EmbeddedServer.class, all);
    }

    /** A new token's secret, issued by the admin. */
    static String token(Api api, String name, String role) {
        Api.Response response = api.post("/v1/tokens", ADMIN, Map.of("name", name, "role", role));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return (String) response.json().get("token");
    }
}
