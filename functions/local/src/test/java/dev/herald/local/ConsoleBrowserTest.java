package dev.herald.local;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.herald.local.LocalServers.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: Debian's headless Chromium, driven by playwright-core
 * ({@code infra/browser/console-scenario.mjs}), through a sender's way (sign-in, compose with its
 * preview and instant, watching the message become SENT, a recipient's outcome, a script in a
 * subject, a forged post, a cancel, an admin page refused, sign-out) and an admin's (message
 * systems, a suppression list, recurring schedules, tokens), with nothing loaded from another host
 * and no error in the browser's console. The server's clock is the test's: when the scenario asks,
 * it moves forward, so that a message due in two minutes is sent without waiting for them. The
 * screenshots go to {@code target/screenshots}. {@code .ci/run} installs Chromium and playwright-core.
 */
class ConsoleBrowserTest {

    private static final Path SCENARIO = Path.of("../../infra/browser/console-scenario.mjs");
    /** What the scenario prints when it wants the server's clock moved forward, followed by an ISO-8601 duration. */
    private static final String ADVANCE = "advance-clock ";

    @TempDir
    Path dataDir;

    @Test
    void aSendersAndAnAdminsWayThroughTheConsole_inHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian's chromium is not installed (.ci/run installs it)");
        assumeTrue(Files.isDirectory(Path.of("../../infra/browser/node_modules/playwright-core")),
                "playwright-core is not installed (npm ci --prefix infra/browser)");
        try (EmbeddedServer server = LocalServers.start(dataDir, Map.of(AdjustableClock.ENABLED, true))) {
            AdjustableClock clock = server.getApplicationContext().getBean(AdjustableClock.class);
            Api api = new Api(server.getURL().toString());
            String sender = LocalServers.token(api, "browser", "sender");
            aWeeklyDigest(api, sender);

            Process node = new ProcessBuilder("node", SCENARIO.toString(), api.base(), sender, ADMIN, "target/screenshots")
                    .redirectErrorStream(true).start();
            CompletableFuture.delayedExecutor(150, TimeUnit.SECONDS).execute(node::destroyForcibly);
            StringBuilder output = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                 Writer answers = node.outputWriter(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.startsWith(ADVANCE)) {
                        clock.advance(Duration.parse(line.substring(ADVANCE.length())));
                        answers.write("advanced\n");
                        answers.flush();
                    }
                }
            }
            assertThat(node.waitFor(10, TimeUnit.SECONDS)).as("the scenario ends").isTrue();

            assertThat(node.exitValue()).as(output.toString()).isZero();
            assertThat(output).contains("console scenario passed");
            assertThat(Path.of("target/screenshots/message-sent.png")).exists();
        }
    }

    /** A sender's recurring schedule, for the schedules page to show with its next occurrences. */
    private static void aWeeklyDigest(Api api, String sender) {
        String list = (String) api.post("/v1/lists", sender, Map.of("messageSystem", "outbox", "name", "Digest readers"))
                .json().get("id");
        api.post("/v1/lists/" + list + "/members", sender, Map.of("members", List.of(Map.of("email", "ann@example.com"))));
        Api.Response created = api.post("/v1/recurring-schedules", sender, Map.of("name", "Weekly digest",
                "messageSystem", "outbox", "subject", "This week", "text", "Hi {{name}}", "list", list,
                "expression", "cron(0 9 ? * MON *)", "timeZone", "Europe/Paris"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }
}
