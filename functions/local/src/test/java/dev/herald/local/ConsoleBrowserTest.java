package dev.herald.local;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: Debian's headless Chromium, driven by playwright-core
 * ({@code infra/browser/console-scenario.mjs}), through sign-in, compose with its preview and instant,
 * a message's page and a recipient's content, a script in a subject, a forged post, a cancel and
 * sign-out, with nothing loaded from another host and no error in the browser's console. The
 * screenshots go to {@code target/screenshots}. {@code .ci/run} installs Chromium and playwright-core.
 */
class ConsoleBrowserTest {

    private static final String ADMIN = "test-admin-token-0123456789";
    private static final Path SCENARIO = Path.of("../../infra/browser/console-scenario.mjs");

    @TempDir
    Path dataDir;

    @Test
    void aUsersWayThroughTheConsole_inHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian's chromium is not installed (.ci/run installs it)");
        assumeTrue(Files.isDirectory(Path.of("../../infra/browser/node_modules/playwright-core")),
                "playwright-core is not installed (npm ci --prefix infra/browser)");
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "herald.data-dir", dataDir.toString(), "herald.admin-token", ADMIN, "micronaut.server.port", -1))) {
            Api api = new Api(server.getURL().toString());
            String sender = (String) api.post("/v1/tokens", ADMIN, Map.of("name", "browser", "role", "sender")).json().get("token");
            Process node = new ProcessBuilder("node", SCENARIO.toString(), api.base(), sender, "target/screenshots")
                    .redirectErrorStream(true).start();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("the scenario ends").isTrue();
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(node.exitValue()).as(output).isZero();
            assertThat(output).contains("console scenario passed");
            assertThat(Path.of("target/screenshots/compose.png")).exists();
        }
    }
}
