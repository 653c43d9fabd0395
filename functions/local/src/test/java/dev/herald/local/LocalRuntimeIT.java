package dev.herald.local;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end: the packaged herald-local.jar as a user runs it, over HTTP, with .eml files as the proof. */
class LocalRuntimeIT {

    private static final String ADMIN = "it-admin-token-0123456789abcdef";
    private static final Map<String, String> SHORT_LEASE = Map.of("HERALD_TASK_LEASE", "PT10S");

    @TempDir
    Path workDir;
    private Process process;
    private Api api;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private void startRuntime() throws Exception {
        startRuntime(Map.of());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the jar as a user does, on {@code port}, its output (both streams) kept in herald.log. */
    private Process launch(int port, Map<String, String> environment) throws Exception {
        String jar = System.getProperty("herald.local.jar", "target/herald-local.jar");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(jar).toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("herald.log").toFile()));
        builder.environment().put("HERALD_PORT", String.valueOf(port));
        builder.environment().put("HERALD_ADMIN_TOKEN", ADMIN);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Starts the runtime and waits, as a user does, for it to say it is ready: the port answers a
     * moment before (health is UP once the scheduler runs), and a stop in between is a kill.
     */
    private void startRuntime(Map<String, String> environment) throws Exception {
        int port = freePort();
        long readyBefore = readyLines();
        process = launch(port, environment);
        api = new Api("http://127.0.0.1:" + port);
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until) && process.isAlive()) {
            if (readyLines() > readyBefore) {
                assertThat(api.get("/v1/health", null).status()).isEqualTo(200);
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the runtime did not start: " + Files.readString(workDir.resolve("herald.log")));
    }

    /** How many times herald.log, which each start appends to, says "Herald is ready". */
    private long readyLines() throws Exception {
        Path log = workDir.resolve("herald.log");
        return Files.exists(log) ? Files.readString(log).lines().filter(l -> l.contains("Herald is ready")).count() : 0;
    }

    private void stopRuntime() throws Exception {
        process.destroy(); // SIGTERM, as Ctrl-C or a service manager would
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(workDir.resolve("herald.log"))).contains("stopped cleanly");
    }

    private String schedule(Instant sendAt) {
        Api.Response response = api.post("/v1/messages", ADMIN, Map.of(
                "messageSystem", "outbox",
                "subject", "Hello {{name}}, order {{order}}",
                "text", "Dear {{name}}, your order {{order}} ships today.",
                "recipients", List.of(
                        Map.of("email", "ann@example.com", "name", "Ann", "data", Map.of("order", "A-1")),
                        Map.of("email", "bob@example.com", "name", "Bob", "data", Map.of("order", "B-2")),
                        Map.of("email", "cyd@example.com", "name", "Cyd", "data", Map.of("order", "C-3"))),
                "sendAt", sendAt.toString()));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        return (String) response.json().get("id");
    }

    private Map<String, Object> awaitFinal(String id) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        Map<String, Object> message = Map.of();
        while (Instant.now().isBefore(until)) {
            message = api.get("/v1/messages/" + id, ADMIN).json();
            if ("SENT".equals(message.get("status"))) {
                return message;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("message not sent in time: " + message);
    }

    private List<String> subjectsInOutbox(String messageId) throws Exception {
        Path folder = workDir.resolve("herald-data/outbox").resolve(messageId);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<String> subjects = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".eml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    subjects.add(new MimeMessage(Session.getInstance(new Properties()), in).getSubject());
                }
            }
        }
        return subjects;
    }

    @Test
    void aMessageScheduledTwoSecondsAhead_arrivesAsThreeRenderedEmlFiles() throws Exception {
        startRuntime();
        Instant sendAt = Instant.now().plusSeconds(2);

        String id = schedule(sendAt);
        assertThat(subjectsInOutbox(id)).isEmpty();
        Map<String, Object> sent = awaitFinal(id);

        assertThat(subjectsInOutbox(id)).containsExactlyInAnyOrder(
                "Hello Ann, order A-1", "Hello Bob, order B-2", "Hello Cyd, order C-3");
        assertThat(sent.get("counts")).isEqualTo(Map.ofEntries(Map.entry("total", 3), Map.entry("pending", 0), Map.entry("sent", 3), Map.entry("failed", 0), Map.entry("unknown", 0), Map.entry("cancelled", 0), Map.entry("expired", 0), Map.entry("suppressed", 0), Map.entry("delivered", 0), Map.entry("bounced", 0), Map.entry("complained", 0), Map.entry("rejected", 0)));
        Map<?, ?> run = (Map<?, ?>) ((List<?>) sent.get("runs")).get(0);
        assertThat(Instant.parse((String) run.get("startedAt"))).isAfterOrEqualTo(sendAt).isBefore(sendAt.plusSeconds(1));
        stopRuntime();
    }

    @Test
    void theOneClickLinkInAnEmlFile_unsubscribesItsRecipient_andTheNextMessageWritesNoFileForThem() throws Exception {
        startRuntime();
        String first = schedule(Instant.now().plusSeconds(2));
        awaitFinal(first);
        MimeMessage bobsMail;
        try (Stream<Path> files = Files.list(workDir.resolve("herald-data/outbox").resolve(first))) {
            List<MimeMessage> mails = new ArrayList<>();
            for (Path file : files.toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    mails.add(new MimeMessage(Session.getInstance(new Properties()), in));
                }
            }
            bobsMail = null;
            for (MimeMessage mail : mails) {
                bobsMail = mail.getSubject().contains("Bob") ? mail : bobsMail;
            }
        }
        assertThat(bobsMail.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(bobsMail.getHeader("List-Id")).containsExactly("\"Local outbox\" <outbox.localhost.localdomain>");
        String header = bobsMail.getHeader("List-Unsubscribe")[0];
        URI link = URI.create(header.substring(1, header.length() - 1));
        assertThat(link.getPort()).isEqualTo(URI.create(api.base()).getPort());

        // As a mail client does it (RFC 8058): the link as it is, no login, the one-click body.
        HttpResponse<String> unsubscribed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(link)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsubscribed.statusCode()).isEqualTo(200);

        String next = schedule(Instant.now().plusSeconds(1));
        Map<String, Object> sent = awaitFinal(next);
        assertThat(sent.get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("sent", 2).containsEntry("suppressed", 1);
        assertThat(subjectsInOutbox(next)).containsExactlyInAnyOrder("Hello Ann, order A-1", "Hello Cyd, order C-3");
        Api.Response bob = api.get("/v1/messages/" + next + "/recipients?status=SUPPRESSED", ADMIN);
        assertThat(bob.body()).contains("bob@example.com", "UNSUBSCRIBED");
        stopRuntime();
    }

    @Test
    void stoppedBeforeItIsDue_andStartedAgain_theMessageIsDeliveredExactlyOnce() throws Exception {
        startRuntime();
        String id = schedule(Instant.now().plusSeconds(4));
        stopRuntime();
        assertThat(subjectsInOutbox(id)).isEmpty();

        startRuntime();
        Map<String, Object> sent = awaitFinal(id);

        assertThat(subjectsInOutbox(id)).hasSize(3);
        assertThat((List<?>) sent.get("runs")).hasSize(1);
        assertThat(sent.get("counts")).isEqualTo(Map.ofEntries(Map.entry("total", 3), Map.entry("pending", 0), Map.entry("sent", 3), Map.entry("failed", 0), Map.entry("unknown", 0), Map.entry("cancelled", 0), Map.entry("expired", 0), Map.entry("suppressed", 0), Map.entry("delivered", 0), Map.entry("bounced", 0), Map.entry("complained", 0), Map.entry("rejected", 0)));
        Thread.sleep(1000);
        assertThat(subjectsInOutbox(id)).hasSize(3);
        assertThat((List<?>) api.get("/v1/messages/" + id, ADMIN).json().get("runs")).hasSize(1);
        stopRuntime();
    }

    @Test
    void pausedAndStartedAgain_itStaysPausedPastItsTime_andAResumeSendsItOnce() throws Exception {
        startRuntime();
        String id = schedule(Instant.now().plusSeconds(2));
        assertThat(api.post("/v1/messages/" + id + "/pause", ADMIN, "").json()).containsEntry("status", "PAUSED");
        stopRuntime();

        startRuntime();
        Thread.sleep(3000); // past its time: a paused task is not re-armed by a start
        assertThat(subjectsInOutbox(id)).isEmpty();
        assertThat(api.get("/v1/messages/" + id, ADMIN).json()).containsEntry("status", "PAUSED");
        assertThat(api.post("/v1/messages/" + id + "/resume", ADMIN, "").status()).isEqualTo(200);
        awaitFinal(id);

        assertThat(subjectsInOutbox(id)).hasSize(3);
        stopRuntime();
    }

    @Test
    void aRecurringOccurrenceDueWhileStopped_isMadeUpByTheNextStart_once() throws Exception {
        startRuntime();
        String list = (String) api.post("/v1/lists", ADMIN, Map.of("messageSystem", "outbox", "name", "Weekly")).json()
                .get("id");
        api.post("/v1/lists/" + list + "/members", ADMIN, Map.of("members", List.of(
                Map.of("email", "ann@example.com", "name", "Ann"), Map.of("email", "bob@example.com", "name", "Bob"))));
        // Hourly from a few seconds ahead, read in UTC: the first occurrence falls while Herald is stopped.
        String start = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Api.Response created = api.post("/v1/recurring-schedules", ADMIN, Map.of("name", "Hourly", "messageSystem", "outbox",
                "subject", "Hourly for {{name}}", "text", "Hi", "list", list, "expression", "rate(1 hour)",
                "timeZone", "UTC", "start", start));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        stopRuntime();
        Thread.sleep(4000);

        startRuntime();
        List<?> occurrences = List.of();
        for (int i = 0; i < 100 && occurrences.isEmpty(); i++) {
            Thread.sleep(100);
            occurrences = (List<?>) api.get("/v1/recurring-schedules/" + id + "/occurrences", ADMIN).json().get("items");
        }
        assertThat(occurrences).hasSize(1);
        String messageId = (String) ((Map<?, ?>) occurrences.get(0)).get("message");
        awaitFinal(messageId);
        assertThat(subjectsInOutbox(messageId)).containsExactlyInAnyOrder("Hourly for Ann", "Hourly for Bob");
        stopRuntime();

        startRuntime(); // made up once: a second start finds it recorded
        assertThat((List<?>) api.get("/v1/recurring-schedules/" + id + "/occurrences", ADMIN).json().get("items")).hasSize(1);
        stopRuntime();
    }

    @Test
    void killedWhileSending_andStartedAgain_everyRecipientEndsWithOneOutcome_andOnlyUnrecordedOnesAreResent()
            throws Exception {
        String id = startSlowSend();
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        startRuntime(SHORT_LEASE);
        Map<String, Object> sent = awaitFinal(id);

        List<?> runs = (List<?>) sent.get("runs");
        Map<?, ?> abandoned = (Map<?, ?>) runs.get(0);
        Map<?, ?> recovery = (Map<?, ?>) runs.get(runs.size() - 1);
        assertThat(abandoned.get("status")).isEqualTo("FAILED");
        assertThat((String) abandoned.get("error")).startsWith("Abandoned");
        assertThat(recovery.get("trigger")).isEqualTo("RECOVERY");
        int recordedBeforeCrash = 2000 - (Integer) recovery.get("sent");
        assertThat(recordedBeforeCrash).as("whole chunks were recorded before the crash and not sent again")
                .isBetween(100, 1900).isEqualTo(recordedBeforeCrash / 100 * 100);
        assertEveryoneSentOnce(id, sent);
        stopRuntime();
    }

    @Test
    void stoppedWhileSending_checkpoints_andTheNextStartCarriesOn_sendingNobodyTwice() throws Exception {
        String id = startSlowSend();
        stopRuntime(); // SIGTERM: the send checkpoints at its next chunk

        startRuntime(SHORT_LEASE);
        Map<String, Object> sent = awaitFinal(id);

        List<?> runs = (List<?>) sent.get("runs");
        assertThat(runs).hasSize(2);
        Map<?, ?> stopped = (Map<?, ?>) runs.get(0);
        Map<?, ?> resumed = (Map<?, ?>) runs.get(1);
        assertThat(stopped.get("status")).isEqualTo("CONTINUED");
        assertThat((Integer) stopped.get("sent")).isBetween(100, 1900);
        assertThat((Integer) stopped.get("sent") + (Integer) resumed.get("sent")).as("nobody sent twice").isEqualTo(2000);

        assertEveryoneSentOnce(id, sent);
        stopRuntime();
    }

    /** 2,000 recipients at 200 per second: about ten seconds of sending, three of them done. */
    private String startSlowSend() throws Exception {
        startRuntime(SHORT_LEASE);
        assertThat(api.post("/v1/message-systems", ADMIN, Map.of("id", "slow", "name", "Slow outbox",
                "transport", "outbox", "from", "slow@example.com", "maxSendRate", 200)).status()).isEqualTo(201);
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            recipients.add(Map.of("email", "r" + i + "@example.com"));
        }
        Api.Response accepted = api.post("/v1/messages", ADMIN, Map.of("messageSystem", "slow", "subject", "Hi {{email}}",
                "text", "x", "recipients", recipients));
        assertThat(accepted.status()).isEqualTo(202);
        Thread.sleep(3000);
        return (String) accepted.json().get("id");
    }

    private void assertEveryoneSentOnce(String id, Map<String, Object> sent) throws Exception {
        assertThat(sent.get("counts")).isEqualTo(Map.ofEntries(Map.entry("total", 2000), Map.entry("pending", 0), Map.entry("sent", 2000), Map.entry("failed", 0), Map.entry("unknown", 0), Map.entry("cancelled", 0), Map.entry("expired", 0), Map.entry("suppressed", 0), Map.entry("delivered", 0), Map.entry("bounced", 0), Map.entry("complained", 0), Map.entry("rejected", 0)));
        try (Stream<Path> files = Files.list(workDir.resolve("herald-data/outbox").resolve(id))) {
            assertThat(files.filter(f -> f.toString().endsWith(".eml")).count()).isEqualTo(2000);
        }
    }

    @Test
    void thePackagedJar_servesTheConsoleAndTheApiViewer_withTheirScriptsAndStyles() throws Exception {
        startRuntime();

        Api.Response signIn = api.get("/sign-in", null);
        assertThat(signIn.status()).isEqualTo(200);
        assertThat(signIn.header("content-security-policy")).startsWith("default-src 'none'");
        for (String asset : List.of("/console/htmx.min.js", "/console/console.js", "/console/console.css",
                "/openapi/ui/index.html", "/openapi/ui/swagger-ui-bundle.js", "/openapi.yml")) {
            Api.Response served = api.get(asset, null);
            assertThat(served.status()).as(asset).isEqualTo(200);
            assertThat(served.body()).as(asset).isNotBlank();
        }
        assertThat(api.get("/openapi.yml", null).body()).contains("openapi: 3.1");
    }

    @Test
    void theDataDirectory_holdsTheDatabaseAndAnOwnerOnlyKeyring() throws Exception {
        startRuntime();
        stopRuntime();

        assertThat(workDir.resolve("herald-data/herald.db")).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(workDir.resolve("herald-data/keyring")))).isEqualTo("rw-------");
    }

    /** Starts the jar where it cannot start, and answers everything it printed. */
    private List<String> failedStart(int port, Map<String, String> environment) throws Exception {
        Files.deleteIfExists(workDir.resolve("herald.log"));
        Process failing = launch(port, environment);
        assertThat(failing.waitFor(60, TimeUnit.SECONDS)).as("it gives up").isTrue();
        assertThat(failing.exitValue()).isEqualTo(1);
        return Files.readAllLines(workDir.resolve("herald.log"));
    }

    @Test
    void aPortInUse_isSaidInOneLine_withoutAStackTrace_andLeavesNoDataBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<String> printed = failedStart(taken.getLocalPort(), Map.of());

            assertThat(printed).filteredOn(line -> !line.startsWith("WARNING:")).singleElement().satisfies(line ->
                    assertThat(line).startsWith("Herald could not start: 127.0.0.1:" + taken.getLocalPort() + " is in use"));
        }
        assertThat(workDir.resolve("herald-data")).doesNotExist();
    }

    @Test
    void badSettings_areNamedInOneLine_beforeAnythingIsWritten() throws Exception {
        Map<String, String> bad = Map.of(
                "HERALD_DISPATCH_WORKERS", "0",
                "HERALD_TASK_LEASE", "soon",
                "HERALD_ADMIN_TOKEN", "change-me-admin",
                "HERALD_SCHEDULING_HORIZON", "P0D");
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            List<String> printed = failedStart(freePort(), Map.of(setting.getKey(), setting.getValue()));

            assertThat(printed).as(setting.toString()).filteredOn(line -> !line.startsWith("WARNING:")).singleElement()
                    .satisfies(line -> assertThat(line).startsWith("Herald could not start: " + setting.getKey()));
        }
        assertThat(workDir.resolve("herald-data")).doesNotExist();
    }

    @Test
    void itListensOnLoopbackOnly_unlessHeraldHostOpensIt_andSaysReadyWithItsAddress() throws Exception {
        startRuntime();
        int port = java.net.URI.create(api.base()).getPort();
        assertThat(Files.readString(workDir.resolve("herald.log"))).contains("Herald is ready on http://127.0.0.1:" + port);
        assertThat(reachable("127.0.0.2", port)).as("another loopback address").isFalse();
        stopRuntime();

        startRuntime(Map.of("HERALD_HOST", "0.0.0.0"));
        assertThat(reachable("127.0.0.2", java.net.URI.create(api.base()).getPort())).isTrue();
        stopRuntime();
    }

    private static boolean reachable(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 2_000);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }

    @Test
    void aNewAdminTokenSetting_replacesTheBootstrapToken_andIssuedTokensStay() throws Exception {
        startRuntime();
        String sender = (String) api.post("/v1/tokens", ADMIN, Map.of("name", "app", "role", "sender")).json().get("token");
        stopRuntime();

        String rotated = "it-rotated-admin-token-9876543210";
        startRuntime(Map.of("HERALD_ADMIN_TOKEN", rotated));

        assertThat(api.get("/v1/tokens", ADMIN).status()).as("the previous bootstrap token").isEqualTo(401);
        Api.Response tokens = api.get("/v1/tokens", rotated);
        assertThat(tokens.status()).isEqualTo(200);
        assertThat(tokens.body()).doesNotContain(rotated, sender, "hash");
        assertThat(((List<?>) tokens.json().get("items")).stream().map(t -> (String) ((Map<?, ?>) t).get("name")).toList())
                .containsExactlyInAnyOrder("app", "bootstrap-admin");
        assertThat(api.get("/v1/messages", sender).status()).isEqualTo(200);
        stopRuntime();
    }
}
