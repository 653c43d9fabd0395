package dev.herald.local;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.local.LocalServers.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API over real HTTP, on the local runtime: contract, bad input, access rules. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalApiTest {


    @TempDir
    static Path dataDir;
    private EmbeddedServer server;
    private Api api;
    private String alice;
    private String bob;

    @BeforeAll
    void start() {
        server = LocalServers.start(dataDir, Map.of("herald.scheduling-horizon", "P1Y"));
        api = new Api(server.getURL().toString());
        alice = LocalServers.token(api, "alice", "sender");
        bob = LocalServers.token(api, "bob", "sender");
        api.post("/v1/message-systems", ADMIN, Map.of("id", "quiet", "name", "No scheduling", "transport", "outbox",
                "from", "quiet@example.com", "scheduling", Map.of("enabled", false)));
        api.post("/v1/message-systems", ADMIN, Map.of("id", "off", "name", "Disabled", "transport", "outbox",
                "from", "off@example.com", "enabled", false));
        api.post("/v1/message-systems", ADMIN, Map.of("id", "relay", "name", "Relay without account",
                "transport", "smtp", "from", "relay@example.com", "smtp", Map.of("host", "localhost", "port", 2525)));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Map<String, Object> message(Object sendAt, int recipients) {
        Map<String, Object> body = new HashMap<>();
        body.put("messageSystem", "outbox");
        body.put("subject", "Hello {{name}}");
        body.put("text", "Hi {{name}}");
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            list.add(Map.of("email", "r" + i + "@example.com", "name", "R" + i, "data", Map.of("i", i)));
        }
        body.put("recipients", list);
        if (sendAt != null) {
            body.put("sendAt", sendAt);
        }
        return body;
    }

    private static String inOneHour() {
        return Instant.now().plus(Duration.ofHours(1)).toString();
    }

    private Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put(key, value);
        return copy;
    }

    private void assertInvalid(Object body, String... fields) {
        Api.Response response = api.post("/v1/messages", alice, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.errorFields()).as(response.body()).containsExactlyInAnyOrder(fields);
    }

    @Test
    void health_needsNoToken_andReportsTheDatabaseAndTheScheduler() {
        Api.Response response = api.get("/v1/health", null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json()).containsEntry("status", "UP")
                .containsEntry("components", Map.of("database", "UP", "scheduler", "UP"));
    }

    @Test
    void tokens_areListedWithoutSecrets_andARevokedOneIsRefusedAtOnce_butNotTheLastAdmin() {
        Api.Response issued = api.post("/v1/tokens", ADMIN, Map.of("name", "short-lived", "role", "sender"));
        String secret = (String) issued.json().get("token");
        String id = (String) issued.json().get("id");
        assertThat(api.get("/v1/messages", secret).status()).isEqualTo(200);

        Api.Response listed = api.get("/v1/tokens", ADMIN);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(secret, ADMIN, "Hash", "hash");
        assertThat((List<?>) listed.json().get("items")).map(t -> (Map<?, ?>) t).anySatisfy(t -> {
            assertThat(t.get("id")).isEqualTo(id);
            assertThat(t.get("name")).isEqualTo("short-lived");
            assertThat(t.get("role")).isEqualTo("sender");
            assertThat(t.get("createdAt")).isNotNull();
            assertThat(t.get("lastUsedAt")).isNotNull();
        });
        assertThat(api.get("/v1/tokens", alice).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/v1/tokens/" + id, alice, null).status()).isEqualTo(403);

        assertThat(api.send("DELETE", "/v1/tokens/" + id, ADMIN, null).status()).isEqualTo(204);
        assertThat(api.get("/v1/messages", secret).status()).as("revoked at once").isEqualTo(401);
        assertThat(api.send("DELETE", "/v1/tokens/" + id, ADMIN, null).status()).isEqualTo(404);
        String bootstrapId = ((List<?>) api.get("/v1/tokens", ADMIN).json().get("items")).stream().map(t -> (Map<?, ?>) t)
                .filter(t -> "bootstrap-admin".equals(t.get("name"))).map(t -> (String) t.get("id")).findFirst().orElseThrow();
        assertThat(api.send("DELETE", "/v1/tokens/" + bootstrapId, ADMIN, null).status()).as("the last admin token").isEqualTo(409);
    }

    @Test
    void everyOtherEndpoint_needsAValidToken() {
        for (String path : List.of("/v1/messages", "/v1/message-systems", "/v1/messages/x")) {
            Api.Response response = api.get(path, null);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(api.get(path, "not-a-token").status()).isEqualTo(401);
        }
        assertThat(api.post("/v1/tokens", null, Map.of("name", "x", "role", "admin")).status()).isEqualTo(401);
    }

    @Test
    void aSender_isForbiddenAdminEndpoints() {
        assertThat(api.get("/v1/message-systems", alice).status()).isEqualTo(403);
        assertThat(api.post("/v1/tokens", alice, Map.of("name", "x", "role", "admin")).status()).isEqualTo(403);
        assertThat(api.put("/v1/message-systems/outbox/job-account", alice, Map.of("name", "a", "password", "b")).status())
                .isEqualTo(403);
    }

    @Test
    void tokenRequests_areValidated() {
        Api.Response response = api.post("/v1/tokens", ADMIN, Map.of("name", "x", "role", "root"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("role");
    }

    @Test
    void messageSystems_crud_andTheJobAccountPasswordIsNeverShown() {
        Api.Response created = api.post("/v1/message-systems", ADMIN, Map.of("id", "newsletter", "name", "Newsletter",
                "transport", "smtp", "from", "news@example.com", "fromName", "News", "maxSendRate", 5,
                "smtp", Map.of("host", "smtp.example.com", "port", 587, "security", "starttls"),
                "scheduling", Map.of("enabled", true, "category", "newsletters", "maxLateness", "PT6H")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/message-systems/newsletter");
        assertThat(created.json()).containsEntry("transport", "smtp")
                .containsEntry("scheduling", Map.of("enabled", true, "category", "newsletters", "maxLateness", "PT6H"))
                .containsEntry("jobAccount", Map.of("passwordSet", false));

        Api.Response setAccount = api.put("/v1/message-systems/newsletter/job-account", ADMIN,
                Map.of("name", "mailer", "password", "correct horse battery"));
        assertThat(setAccount.status()).isEqualTo(204);
        Api.Response read = api.get("/v1/message-systems/newsletter", ADMIN);
        assertThat(read.json()).containsEntry("jobAccount", Map.of("name", "mailer", "passwordSet", true));
        assertThat(read.body()).doesNotContain("correct horse");
        assertThat(api.get("/v1/message-systems", ADMIN).body()).doesNotContain("correct horse").contains("newsletter");

        assertThat(api.post("/v1/message-systems", ADMIN, Map.of("id", "newsletter", "name", "Again",
                "transport", "outbox", "from", "a@example.com")).status()).isEqualTo(409);
        Api.Response updated = api.put("/v1/message-systems/newsletter", ADMIN, Map.of("name", "Renamed",
                "transport", "smtp", "from", "news@example.com", "smtp", Map.of("host", "smtp.example.com")));
        assertThat(updated.json()).containsEntry("name", "Renamed")
                .containsEntry("jobAccount", Map.of("name", "mailer", "passwordSet", true));
        Api.Response invalid = api.post("/v1/message-systems", ADMIN, Map.of("id", "Bad Id!", "name", "x",
                "transport", "smtp", "from", "not-an-address", "maxSendRate", -1, "scheduling", Map.of("maxLateness", "6h")));
        assertThat(invalid.errorFields()).containsExactlyInAnyOrder("id", "from", "maxSendRate", "smtp", "scheduling.maxLateness");
        assertThat(api.send("DELETE", "/v1/message-systems/newsletter", ADMIN, null).status()).isEqualTo(204);
        assertThat(api.get("/v1/message-systems/newsletter", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void schedulingAMessage_answers202WithLocationTasksAndCounts() {
        Api.Response response = api.post("/v1/messages", alice, with(with(message("2027-06-01T09:00:00", 3),
                "timeZone", "Europe/Paris"), "sendBy", "2027-06-01T12:00:00"));

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        Map<String, Object> body = response.json();
        assertThat(response.header("Location")).isEqualTo("/v1/messages/" + body.get("id"));
        assertThat(body).containsEntry("status", "SCHEDULED").containsEntry("sendAt", "2027-06-01T07:00:00Z")
                .containsEntry("timeZone", "Europe/Paris").containsEntry("sendBy", "2027-06-01T10:00:00Z")
                .containsEntry("counts", Map.ofEntries(Map.entry("total", 3), Map.entry("pending", 3), Map.entry("sent", 0), Map.entry("failed", 0), Map.entry("unknown", 0), Map.entry("cancelled", 0), Map.entry("expired", 0), Map.entry("suppressed", 0), Map.entry("delivered", 0), Map.entry("bounced", 0), Map.entry("complained", 0), Map.entry("rejected", 0)));
        assertThat((List<?>) body.get("tasks")).singleElement().asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("state", "ARMED").containsEntry("fireAt", "2027-06-01T07:00:00Z");
    }

    @Test
    void badInput_isA4xxNamingEveryField_andStoresNothing() {
        int before = ((List<?>) api.get("/v1/messages?limit=500", alice).json().get("items")).size();
        Map<String, Object> ok = message(inOneHour(), 2);

        Api.Response malformed = api.post("/v1/messages", alice, "{\"subject\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorFields()).containsExactly("body");
        assertInvalid("{\"messageSystem\": 5, \"subject\": [], \"recipients\": \"all\", \"sendAt\": true}",
                "messageSystem", "subject", "recipients", "sendAt");
        assertInvalid(with(ok, "subject", ""), "subject");
        Map<String, Object> noSubject = new HashMap<>(ok);
        noSubject.remove("subject");
        assertInvalid(noSubject, "subject");
        Map<String, Object> noBody = new HashMap<>(ok);
        noBody.remove("text");
        assertInvalid(noBody, "text");
        assertInvalid(with(ok, "subject", "Hi\r\nBcc: all@example.com"), "subject");
        assertInvalid(with(ok, "recipients", List.of(Map.of("email", "a@example.com", "name", "A\nB"))), "recipients[0].name");
        assertInvalid(with(ok, "recipients", List.of(Map.of("email", "not-an-address"),
                Map.of("email", "x".repeat(65) + "@example.com"), Map.of("email", "a@" + "d".repeat(250) + ".com"))),
                "recipients[0].email", "recipients[1].email", "recipients[2].email");
        assertInvalid(with(ok, "recipients", List.of(Map.of("email", "a@example.com"), Map.of("email", "A@example.com"))),
                "recipients[1].email");
        assertInvalid(with(ok, "recipients", List.of(Map.of("email", "a@example.com", "colour", "red"))),
                "recipients[0].colour");
        assertInvalid(with(ok, "sendAt", Instant.now().minusSeconds(120).toString()), "sendAt");
        assertInvalid(with(ok, "sendAt", Instant.now().plus(Duration.ofDays(400)).toString()), "sendAt");
        assertInvalid(with(with(ok, "sendAt", "2027-01-01T09:00:00"), "timeZone", "Europe/Atlantis"), "timeZone");
        assertInvalid(with(ok, "sendBy", Instant.now().toString()), "sendBy");
        assertInvalid(with(ok, "sendBy", "now"), "sendBy");
        assertInvalid(with(ok, "messageSystem", "nope"), "messageSystem");
        assertInvalid(with(ok, "messageSystem", "off"), "messageSystem");
        assertInvalid(with(ok, "messageSystem", "quiet"), "sendAt");
        assertInvalid(with(ok, "messageSystem", "relay"), "messageSystem");
        assertInvalid(with(ok, "text", "Hi {{#if name}}"), "text");

        List<Map<String, Object>> tenThousandAndOne = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            tenThousandAndOne.add(Map.of("email", "u" + i + "@ex.io"));
        }
        assertInvalid(with(ok, "recipients", tenThousandAndOne), "recipients");
        Api.Response tooLarge = api.post("/v1/messages", alice, with(ok, "text", "x".repeat(1_100_000)));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.contentType()).startsWith("application/problem+json");

        assertThat(((List<?>) api.get("/v1/messages?limit=500", alice).json().get("items"))).hasSize(before);
    }

    @Test
    void tenThousandRecipients_areAccepted() {
        Map<String, Object> big = message(inOneHour(), 0);
        List<Map<String, Object>> lean = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            lean.add(Map.of("email", "u" + i + "@ex.io"));
        }
        big.put("recipients", lean);

        Api.Response response = api.post("/v1/messages", alice, big);

        assertThat(response.status()).as(response.body()).isEqualTo(202);
        assertThat(response.json().get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("total", 10_000);
        api.post("/v1/messages/" + response.json().get("id") + "/cancel", alice, "");
    }

    @Test
    void idempotencyKey_replaysTheFirstAnswer_andRefusesADifferentBody() {
        String body = Api.json(message(inOneHour(), 1));

        Api.Response first = api.post("/v1/messages", alice, body, "Idempotency-Key", "order-42");
        Api.Response again = api.post("/v1/messages", alice, body, "Idempotency-Key", "order-42");
        Api.Response different = api.post("/v1/messages", alice, message(inOneHour(), 2), "Idempotency-Key", "order-42");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aSenderNeverSeesAnotherSendersMessages_anAdminSeesAll() {
        String id = (String) api.post("/v1/messages", alice, message(inOneHour(), 1)).json().get("id");

        assertThat(api.get("/v1/messages/" + id, bob).status()).isEqualTo(404);
        assertThat(api.get("/v1/messages/" + id + "/recipients", bob).status()).isEqualTo(404);
        assertThat(api.post("/v1/messages/" + id + "/cancel", bob, "").status()).isEqualTo(404);
        assertThat(api.patch("/v1/messages/" + id, bob, Map.of("sendAt", inOneHour())).status()).isEqualTo(404);
        assertThat(api.get("/v1/messages?limit=500", bob).body()).doesNotContain(id);
        assertThat(api.get("/v1/messages?limit=500", alice).body()).contains(id);
        assertThat(api.get("/v1/messages/" + id, ADMIN).status()).isEqualTo(200);
    }

    @Test
    void reschedule_thenCancel_thenNeither() {
        String id = (String) api.post("/v1/messages", alice, message(inOneHour(), 1)).json().get("id");

        Api.Response moved = api.patch("/v1/messages/" + id, alice,
                Map.of("sendAt", "2027-01-02T10:00:00", "timeZone", "America/New_York"));
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json()).containsEntry("sendAt", "2027-01-02T15:00:00Z");

        Api.Response cancelled = api.post("/v1/messages/" + id + "/cancel", alice, "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json()).containsEntry("status", "CANCELLED");
        assertThat(api.patch("/v1/messages/" + id, alice, Map.of("sendAt", inOneHour())).status()).isEqualTo(409);
        assertThat(api.patch("/v1/messages/" + id, alice, Map.of("sendAt", "yesterday")).status()).isEqualTo(400);
    }

    @Test
    void pause_thenResume_atItsOwnTime_thenAtOnce_untilSent() throws Exception {
        String id = (String) api.post("/v1/messages", alice, message(inOneHour(), 2)).json().get("id");
        String sendAt = (String) api.get("/v1/messages/" + id, alice).json().get("sendAt");

        Api.Response paused = api.post("/v1/messages/" + id + "/pause", alice, "");
        assertThat(paused.status()).as(paused.body()).isEqualTo(200);
        assertThat(paused.json()).containsEntry("status", "PAUSED");
        assertThat(api.post("/v1/messages/" + id + "/pause", alice, "").json()).containsEntry("status", "PAUSED");
        assertThat(api.get("/v1/messages?status=PAUSED", alice).body()).contains(id);
        assertThat(api.post("/v1/messages/" + id + "/pause", bob, "").status()).isEqualTo(404);
        Api.Response bad = api.post("/v1/messages/" + id + "/resume", alice,
                Map.of("sendAt", "yesterday", "timeZone", "Europe/Paris", "at", "once"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("\"at\"");
        Api.Response late = api.post("/v1/messages/" + id + "/resume", alice, Map.of("sendAt", "yesterday", "timeZone", "Europe/Paris"));
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.body()).contains("sendAt");
        assertThat(api.get("/v1/messages/" + id, alice).json()).as("nothing written").containsEntry("status", "PAUSED");

        Api.Response resumed = api.post("/v1/messages/" + id + "/resume", alice, "");
        assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
        assertThat(resumed.json()).containsEntry("status", "SCHEDULED").containsEntry("sendAt", sendAt);
        assertThat(api.post("/v1/messages/" + id + "/resume", alice, "").status()).isEqualTo(409);

        api.post("/v1/messages/" + id + "/pause", alice, "");
        Api.Response now = api.post("/v1/messages/" + id + "/resume", alice, Map.of("sendAt", java.time.Instant.now().toString()));
        assertThat(now.status()).as(now.body()).isEqualTo(200);
        Map<String, Object> read = Map.of();
        for (int i = 0; i < 100 && !"SENT".equals(read.get("status")); i++) {
            Thread.sleep(50);
            read = api.get("/v1/messages/" + id, alice).json();
        }
        assertThat(read).containsEntry("status", "SENT");
        assertThat(api.post("/v1/messages/" + id + "/pause", alice, "").status()).isEqualTo(409);
    }

    @Test
    void aMessageOutsideItsSendWindows_waitsForTheNextOpening_andBadWindowsAreRefused() throws Exception {
        java.time.LocalDate inTwoDays = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        String day = inTwoDays.getDayOfWeek().name().substring(0, 3);
        Map<String, Object> windows = Map.of("timeZone", "UTC", "windows", List.of(Map.of("days", List.of(day),
                "from", "06:30", "to", "18:00")));
        Api.Response bad = api.post("/v1/messages", alice, with(message(null, 1), "sendWindows", Map.of("timeZone", "UTC",
                "windows", List.of(Map.of("days", List.of("Someday"), "from", "18:00", "to", "06:30")))));
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.errorFields()).containsExactlyInAnyOrder("sendWindows.windows[0].days", "sendWindows.windows[0].to");

        String id = (String) api.post("/v1/messages", alice, with(message(null, 2), "sendWindows", windows)).json().get("id");

        String opening = inTwoDays.atTime(6, 30).toInstant(java.time.ZoneOffset.UTC).toString();
        Map<String, Object> read = awaitWaitingUntil(id, alice, opening);
        assertThat(read).containsEntry("status", "SENDING").containsEntry("sendWindows", windows);
        assertThat(((Map<?, ?>) ((List<?>) read.get("runs")).get(0)).get("status")).isEqualTo("WAITING");
        assertThat(textKeys((Map<?, ?>) read.get("counts"))).containsEntry("sent", 0).containsEntry("pending", 2);
    }

    @Test
    void aMessageWithADailyCap_sendsUpToItToday_andWaitsForTomorrowForTheRest() throws Exception {
        assertThat(api.post("/v1/messages", alice, with(message(null, 1), "dailyCap", 99)).errorFields())
                .containsExactly("dailyCap");
        String id = (String) api.post("/v1/messages", alice, with(message(null, 150), "dailyCap", 100)).json().get("id");

        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).atStartOfDay()
                .toInstant(java.time.ZoneOffset.UTC).toString();
        Map<String, Object> read = awaitWaitingUntil(id, alice, tomorrow);
        assertThat(read).containsEntry("status", "SENDING").containsEntry("dailyCap", 100);
        assertThat(textKeys((Map<?, ?>) read.get("counts"))).containsEntry("sent", 100).containsEntry("pending", 50);
    }

    @Test
    void aMessageSystemsSendWindowsAndDailyCap_areStoredAndShown_andTheWindowsHoldForItsMessages() throws Exception {
        java.time.LocalDate inTwoDays = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        Map<String, Object> windows = Map.of("timeZone", "UTC", "windows", List.of(Map.of(
                "days", List.of(inTwoDays.getDayOfWeek().name().substring(0, 3)), "from", "08:00", "to", "12:00")));
        Api.Response created = api.post("/v1/message-systems", ADMIN, Map.of("id", "windowed", "name", "Windowed",
                "transport", "outbox", "from", "windowed@example.com",
                "scheduling", Map.of("enabled", true, "sendWindows", windows, "dailyCap", 500)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(textKeys((Map<?, ?>) created.json().get("scheduling"))).containsEntry("sendWindows", windows)
                .containsEntry("dailyCap", 500);

        String id = (String) api.post("/v1/messages", ADMIN, with(message(null, 1), "messageSystem", "windowed"))
                .json().get("id");

        String opening = inTwoDays.atTime(8, 0).toInstant(java.time.ZoneOffset.UTC).toString();
        Map<String, Object> read = awaitWaitingUntil(id, ADMIN, opening);
    }

    @Test
    void aLocalTimeMessage_isATaskPerInstant_thePassedZonesGetItNow_andCancelEndsTheRest() throws Exception {
        // Half an hour ahead on UTC's clock: passed in Tokyo (nine hours ahead of UTC), still ahead in Los Angeles.
        java.time.LocalDateTime at = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(30)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Map<String, Object> body = new HashMap<>(Map.of("messageSystem", "outbox", "subject", "Good morning",
                "text", "Hi {{name}}", "sendAt", at.toString(), "timeZone", "UTC", "localTime", true,
                "recipients", List.of(Map.of("email", "tokyo1@example.com", "timeZone", "Asia/Tokyo"),
                        Map.of("email", "tokyo2@example.com", "timeZone", "Asia/Tokyo"),
                        Map.of("email", "utc@example.com"),
                        Map.of("email", "la@example.com", "timeZone", "America/Los_Angeles"))));
        assertInvalid(with(with(body, "sendAt", at + "Z"), "recipients", List.of(Map.of("email", "x@example.com",
                "timeZone", "Mars/Olympus_Mons"))), "sendAt", "recipients[0].timeZone");

        Api.Response accepted = api.post("/v1/messages", alice, body);

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json()).containsEntry("localSendAt", at.toString());
        String id = (String) accepted.json().get("id");
        Map<String, Object> read = Map.of();
        for (int i = 0; i < 100 && !"DONE".equals(taskField(read, 0, "state")); i++) {
            Thread.sleep(50);
            read = api.get("/v1/messages/" + id, alice).json();
        }
        List<?> tasks = (List<?>) read.get("tasks");
        assertThat(tasks).hasSize(3);
        assertThat(taskField(read, 0, "timeZones")).isEqualTo(List.of("Asia/Tokyo"));
        assertThat(textKeys((Map<?, ?>) taskField(read, 0, "counts"))).containsEntry("sent", 2);
        assertThat(taskField(read, 1, "fireAt")).isEqualTo(at.toInstant(java.time.ZoneOffset.UTC).toString());
        assertThat(taskField(read, 2, "timeZones")).isEqualTo(List.of("America/Los_Angeles"));
        assertThat(taskField(read, 2, "state")).isEqualTo("ARMED");
        assertThat(read).containsEntry("status", "SENDING");

        Map<String, Object> cancelled = api.post("/v1/messages/" + id + "/cancel", alice, "").json();

        assertThat(cancelled).containsEntry("status", "CANCELLED");
        assertThat(textKeys((Map<?, ?>) cancelled.get("counts"))).containsEntry("sent", 2).containsEntry("cancelled", 2)
                .containsEntry("pending", 0);
    }

    private static Object taskField(Map<String, Object> message, int task, String field) {
        List<?> tasks = (List<?>) message.get("tasks");
        return tasks == null || tasks.size() <= task ? null : ((Map<?, ?>) tasks.get(task)).get(field);
    }

    /** The message once its task waits for {@code fireAt} (its run found it outside its windows or over its cap). */
    private Map<String, Object> awaitWaitingUntil(String id, String token, String fireAt) throws InterruptedException {
        Map<String, Object> read = Map.of();
        for (int i = 0; i < 100 && !fireAt.equals(firstTaskFireAt(read)); i++) {
            Thread.sleep(50);
            read = api.get("/v1/messages/" + id, token).json();
        }
        assertThat(firstTaskFireAt(read)).as(read.toString()).isEqualTo(fireAt);
        return read;
    }

    private static Object firstTaskFireAt(Map<String, Object> message) {
        List<?> tasks = (List<?>) message.get("tasks");
        return tasks == null || tasks.isEmpty() ? null : ((Map<?, ?>) tasks.get(0)).get("fireAt");
    }

    private static Map<String, Object> recurring(String list, String expression, String start) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Digest");
        body.put("messageSystem", "outbox");
        body.put("subject", "Digest for {{name}}");
        body.put("text", "Hi {{name}}");
        body.put("list", list);
        body.put("expression", expression);
        body.put("timeZone", "UTC");
        body.put("start", start);
        return body;
    }

    private static Map<String, Object> textKeys(Map<?, ?> map) {
        Map<String, Object> copy = new HashMap<>();
        map.forEach((key, value) -> copy.put((String) key, value));
        return copy;
    }

    @Test
    void aRecurringSchedule_sendsEachOccurrenceToItsList_showsItsHistory_andIsUpdatedPausedResumedAndDeleted()
            throws Exception {
        String list = (String) api.post("/v1/lists", alice, Map.of("messageSystem", "outbox", "name", "Digest readers"))
                .json().get("id");
        api.post("/v1/lists/" + list + "/members", alice, Map.of("members", List.of(
                Map.of("email", "ann@example.com", "name", "Ann"), Map.of("email", "ben@example.com", "name", "Ben"))));
        Api.Response bad = api.post("/v1/recurring-schedules", alice, with(with(recurring(list, "cron(0 9 * * MON *)",
                null), "timeZone", "Mars/Olympus"), "name", ""));
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.errorFields()).containsExactlyInAnyOrder("name", "timeZone", "expression");
        Api.Response tooOften = api.post("/v1/recurring-schedules", alice, recurring(list, "rate(5 minutes)", null));
        assertThat(tooOften.errorFields()).as(tooOften.body()).containsExactly("expression");
        assertThat(api.get("/v1/recurring-schedules", alice).json().get("items")).asList().as("nothing written").isEmpty();

        // Hourly from two seconds ahead: the first occurrence comes at once.
        String start = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Api.Response created = api.post("/v1/recurring-schedules", alice, recurring(list, "rate(1 hour)", start));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        assertThat(created.header("Location")).isEqualTo("/v1/recurring-schedules/" + id);
        assertThat(created.json()).containsEntry("state", "ACTIVE").containsEntry("expression", "rate(1 hour)");
        assertThat(created.json().get("nextOccurrences")).asList().hasSize(5).first().isEqualTo(start + "Z");
        assertThat(api.get("/v1/recurring-schedules/" + id, bob).status()).isEqualTo(404);

        Map<String, Object> occurrence = Map.of();
        for (int i = 0; i < 200 && !"SENT".equals(occurrence.get("status")); i++) {
            Thread.sleep(50);
            List<?> items = (List<?>) api.get("/v1/recurring-schedules/" + id + "/occurrences", alice).json().get("items");
            occurrence = items.isEmpty() ? Map.of() : textKeys((Map<?, ?>) items.get(0));
        }
        assertThat(occurrence).containsEntry("status", "SENT").containsEntry("at", start + "Z");
        assertThat(textKeys((Map<?, ?>) occurrence.get("counts"))).containsEntry("sent", 2);
        assertThat(api.get("/v1/messages/" + occurrence.get("message"), alice).json()).containsEntry("status", "SENT")
                .containsEntry("recurringSchedule", Map.of("id", id, "occurrence", start + "Z"));

        Api.Response updated = api.put("/v1/recurring-schedules/" + id, alice, recurring(list, "cron(0 9 ? * MON *)", null));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json()).containsEntry("expression", "cron(0 9 ? * MON *)");
        assertThat((List<?>) updated.json().get("nextOccurrences")).allSatisfy(at -> assertThat(
                Instant.parse((String) at).atZone(java.time.ZoneOffset.UTC).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY));
        Api.Response paused = api.post("/v1/recurring-schedules/" + id + "/pause", alice, "");
        assertThat(paused.json()).containsEntry("state", "PAUSED").containsEntry("nextOccurrences", List.of());
        assertThat(api.post("/v1/recurring-schedules/" + id + "/resume", alice, "").json()).containsEntry("state", "ACTIVE");

        assertThat(api.send("DELETE", "/v1/recurring-schedules/" + id, bob, null).status()).isEqualTo(404);
        assertThat(api.send("DELETE", "/v1/recurring-schedules/" + id, alice, null).status()).isEqualTo(204);
        assertThat(api.get("/v1/recurring-schedules/" + id, alice).status()).isEqualTo(404);
    }

    @Test
    void anImmediateMessage_isSent_itsRecipientsListed_andItCanNoLongerBeCancelled() throws Exception {
        String id = (String) api.post("/v1/messages", alice, message(null, 3)).json().get("id");

        Map<String, Object> read = Map.of();
        for (int i = 0; i < 100 && !"SENT".equals(read.get("status")); i++) {
            Thread.sleep(50);
            read = api.get("/v1/messages/" + id, alice).json();
        }

        assertThat(read).containsEntry("status", "SENT");
        Api.Response recipients = api.get("/v1/messages/" + id + "/recipients?status=SENT&limit=2", alice);
        assertThat(recipients.json().get("items")).asList().hasSize(2);
        String cursor = (String) recipients.json().get("nextCursor");
        assertThat(api.get("/v1/messages/" + id + "/recipients?limit=2&cursor=" + cursor, alice).json().get("items"))
                .asList().hasSize(1);
        assertThat(api.get("/v1/messages/" + id + "/recipients?status=bogus", alice).status()).isEqualTo(400);
        assertThat(api.post("/v1/messages/" + id + "/cancel", alice, "").status()).isEqualTo(409);
        assertThat(api.get("/v1/messages?status=SENT", alice).body()).contains(id);
    }

    @Test
    void aSuppressionList_isKeptByAdmins_andItsAddressesAreSparedWhenAMessageIsSent() throws Exception {
        api.post("/v1/message-systems", ADMIN, Map.of("id", "listed", "name", "With a list", "transport", "outbox",
                "from", "listed@example.com"));
        String base = "/v1/message-systems/listed/suppressions";

        Api.Response added = api.post(base, ADMIN, Map.of("addresses", List.of("r1@example.com", "Gone@Example.com")));
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json()).isEqualTo(Map.of("added", 2, "alreadySuppressed", 0));
        assertThat(api.post(base, ADMIN, Map.of("addresses", List.of("gone@example.com"))).json())
                .isEqualTo(Map.of("added", 0, "alreadySuppressed", 1));
        Api.Response invalid = api.post(base, ADMIN, Map.of("addresses", List.of("ok@example.com", "ann@-example.com")));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorFields()).containsExactly("addresses[1]");
        assertThat(api.post(base, ADMIN, Map.of("addresses", List.of())).errorFields()).containsExactly("addresses");
        Api.Response one = api.send("PUT", base + "/third@example.com", ADMIN, null);
        assertThat(one.status()).as(one.body()).isEqualTo(200);
        assertThat(one.json()).containsEntry("address", "third@example.com").containsEntry("reason", "MANUAL");

        Api.Response firstPage = api.get(base + "?limit=2", ADMIN);
        assertThat(addresses(firstPage)).containsExactly("gone@example.com", "r1@example.com");
        assertThat(addresses(api.get(base + "?limit=2&cursor=" + firstPage.json().get("nextCursor"), ADMIN)))
                .containsExactly("third@example.com");
        assertThat(api.get(base + "?cursor=nonsense", ADMIN).errorFields()).containsExactly("cursor");
        assertThat(api.get(base + "/GONE@example.com", ADMIN).json()).containsEntry("address", "gone@example.com");
        assertThat(api.send("DELETE", base + "/third@example.com", ADMIN, null).status()).isEqualTo(204);
        assertThat(api.send("DELETE", base + "/third@example.com", ADMIN, null).status()).isEqualTo(404);
        assertThat(api.get(base, alice).status()).isEqualTo(403);
        assertThat(api.get("/v1/message-systems/nope/suppressions", ADMIN).status()).isEqualTo(404);

        String id = (String) api.post("/v1/messages", alice, with(message(null, 3), "messageSystem", "listed")).json().get("id");
        Map<String, Object> read = Map.of();
        for (int i = 0; i < 100 && !"SENT".equals(read.get("status")); i++) {
            Thread.sleep(50);
            read = api.get("/v1/messages/" + id, alice).json();
        }
        assertThat(read).containsEntry("status", "SENT");
        assertThat(read.get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("sent", 2).containsEntry("suppressed", 1).containsEntry("failed", 0);
        assertThat(api.get("/v1/messages/" + id + "/recipients?status=SUPPRESSED", alice).body()).contains("r1@example.com");
        try (var files = java.nio.file.Files.list(dataDir.resolve("outbox").resolve(id))) {
            assertThat(files.count()).isEqualTo(2);
        }
    }

    @Test
    void aList_isFilledInPages_andAMessageNamingIt_isSentToItsMembersMinusSuppressions() throws Exception {
        api.post("/v1/message-systems", ADMIN, Map.of("id", "news", "name", "Newsletter", "transport", "outbox",
                "from", "news@example.com"));
        Api.Response created = api.post("/v1/lists", alice, Map.of("messageSystem", "news", "name", "Subscribers"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String list = (String) created.json().get("id");
        assertThat(created.header("Location")).isEqualTo("/v1/lists/" + list);
        String members = "/v1/lists/" + list + "/members";

        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            page.add(Map.of("email", "m" + i + "@example.com", "name", "M" + i, "data", Map.of("i", i),
                    "timeZone", "Europe/Vienna"));
        }
        Api.Response put = api.post(members, alice, Map.of("members", page));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json()).isEqualTo(Map.of("added", 5, "updated", 0, "memberCount", 5));
        assertThat(api.post(members, alice, Map.of("members", List.of(Map.of("email", "M0@Example.com", "name", "Em")))).json())
                .isEqualTo(Map.of("added", 0, "updated", 1, "memberCount", 5));
        Api.Response bad = api.post(members, alice, Map.of("members", List.of(Map.of("email", "x@example.com", "timeZone", "Mars/Base"),
                Map.of("email", "nope"), Map.of("mail", "typo@example.com"))));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.errorFields()).containsExactlyInAnyOrder("members[2].email", "members[2].mail");
        Api.Response badValues = api.post(members, alice, Map.of("members", List.of(
                Map.of("email", "x@example.com", "timeZone", "Mars/Base"), Map.of("email", "nope"))));
        assertThat(badValues.errorFields()).containsExactly("members[0].timeZone", "members[1].email");
        assertThat(api.get("/v1/lists/" + list, alice).json()).containsEntry("memberCount", 5).containsEntry("state", "ACTIVE");
        Api.Response renamed = api.send("PATCH", "/v1/lists/" + list, alice, Api.json(Map.of("name", "Readers")));
        assertThat(renamed.json()).containsEntry("name", "Readers").containsEntry("memberCount", 5);
        assertThat(api.send("PATCH", "/v1/lists/" + list, alice, Api.json(Map.of("title", "x"))).errorFields())
                .containsExactlyInAnyOrder("name", "title");

        Api.Response first = api.get(members + "?limit=2", alice);
        assertThat(first.json().get("items")).asList().hasSize(2).first().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("email", "M0@example.com").containsEntry("name", "Em");
        assertThat(api.get(members + "?limit=10&cursor=" + first.json().get("nextCursor"), alice).json().get("items")).asList().hasSize(3);
        assertThat(api.get("/v1/lists/" + list, bob).status()).isEqualTo(404);
        assertThat(api.get("/v1/lists", bob).body()).doesNotContain(list);
        assertThat(api.get("/v1/lists", alice).body()).contains(list);

        Api.Response removed = api.post(members + "/remove", alice, Map.of("addresses", List.of("m4@example.com", "zz@example.com")));
        assertThat(removed.json()).isEqualTo(Map.of("removed", 1, "memberCount", 4));
        api.post("/v1/message-systems/news/suppressions", ADMIN, Map.of("addresses", List.of("m1@example.com")));

        Map<String, Object> toList = new HashMap<>(Map.of("messageSystem", "news", "subject", "Hello {{name}}",
                "text", "Hi {{name}}", "list", list));
        Api.Response both = api.post("/v1/messages", alice, with(toList, "recipients", List.of(Map.of("email", "a@example.com"))));
        assertThat(both.errorFields()).containsExactly("recipients");
        assertThat(api.post("/v1/messages", bob, toList).errorFields()).containsExactly("list");
        Api.Response accepted = api.post("/v1/messages", alice, toList);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        Map<String, Object> sent = awaitFinal((String) accepted.json().get("id"));
        assertThat(sent).containsEntry("status", "SENT")
                .containsEntry("audience", Map.of("list", list, "resolved", true));
        assertThat(sent.get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("total", 4).containsEntry("sent", 3).containsEntry("suppressed", 1);
        try (var files = java.nio.file.Files.list(dataDir.resolve("outbox").resolve((String) sent.get("id")))) {
            assertThat(files.count()).isEqualTo(3);
        }

        assertThat(api.send("DELETE", "/v1/lists/" + list, alice, null).status()).isEqualTo(204);
        assertThat(api.get("/v1/lists/" + list, alice).status()).isEqualTo(404);
        assertThat(api.post("/v1/messages", alice, toList).errorFields()).containsExactly("list");
    }

    private Map<String, Object> awaitFinal(String id) throws InterruptedException {
        Map<String, Object> read = Map.of();
        for (int i = 0; i < 200 && List.of("SCHEDULED", "SENDING", "").contains(String.valueOf(read.getOrDefault("status", ""))); i++) {
            Thread.sleep(50);
            read = api.get("/v1/messages/" + id, ADMIN).json();
        }
        return read;
    }

    private static String unsubscribePath(Path eml) throws Exception {
        jakarta.mail.internet.MimeMessage mail;
        try (var in = java.nio.file.Files.newInputStream(eml)) {
            mail = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()), in);
        }
        String header = mail.getHeader("List-Unsubscribe")[0];
        assertThat(header).startsWith("<http://localhost:").endsWith(">");
        return java.net.URI.create(header.substring(1, header.length() - 1)).getPath();
    }

    @Test
    void oneClickUnsubscribe_needsNoLogin_takesOnlyTheOneClickBody_andTheNextMessageSparesTheAddress() throws Exception {
        api.post("/v1/message-systems", ADMIN, Map.of("id", "letters", "name", "Letters <b>&</b>", "transport", "outbox",
                "from", "letters@example.com", "unsubscribe", Map.of("requireLinkInHtml", true)));
        Map<String, Object> body = with(with(message(null, 3), "messageSystem", "letters"), "html", "<p>Hi</p>");
        Api.Response withoutLink = api.post("/v1/messages", alice, body);
        assertThat(withoutLink.status()).isEqualTo(400);
        assertThat(withoutLink.errorFields()).containsExactly("html");
        String id = (String) api.post("/v1/messages", alice, with(body, "html", "<a href=\"{{unsubscribeUrl}}\">Unsubscribe</a>"))
                .json().get("id");
        assertThat(awaitFinal(id)).containsEntry("status", "SENT");
        String link = unsubscribePath(dataDir.resolve("outbox").resolve(id).resolve(id + "-0-1.eml"));
        assertThat(link).startsWith("/v1/unsubscribe/");

        Api.Response page = api.get(link, null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("Letters &lt;b&gt;&amp;&lt;/b&gt;", "r…@example.com", "<form method=\"post\">")
                .doesNotContain("<b>&</b>", "r1@example.com", "<script");
        assertThat(page.header("Content-Security-Policy")).startsWith("default-src 'none'");
        assertThat(api.get("/v1/message-systems/letters/suppressions", ADMIN).json().get("items")).asList().isEmpty();

        String form = "application/x-www-form-urlencoded";
        for (String wrong : new String[]{"", "List-Unsubscribe=Yes", "List-Unsubscribe=One-Click&also=this", "unsubscribe"}) {
            Api.Response refused = api.send("POST", link, null, wrong, "Content-Type", form);
            assertThat(refused.status()).as(wrong).isEqualTo(400);
            assertThat(refused.errorFields()).containsExactly("body");
        }
        assertThat(api.send("POST", link, null, "{\"List-Unsubscribe\":\"One-Click\"}").status()).isEqualTo(400);
        String forged = link.substring(0, link.length() - 2) + (link.endsWith("AA") ? "BB" : "AA");
        assertThat(api.send("POST", forged, null, "List-Unsubscribe=One-Click", "Content-Type", form).status()).isEqualTo(404);
        assertThat(api.get(forged, null).status()).isEqualTo(404);
        assertThat(api.get("/v1/message-systems/letters/suppressions", ADMIN).json().get("items")).asList().isEmpty();

        Api.Response done = api.send("POST", link, null, "List-Unsubscribe=One-Click", "Content-Type", form);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("r…@example.com gets no more mail");
        String multipart = "--b0undary\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b0undary--\r\n";
        assertThat(api.send("POST", link, null, multipart, "Content-Type", "multipart/form-data; boundary=b0undary").status())
                .isEqualTo(200);
        Map<String, Object> entry = api.get("/v1/message-systems/letters/suppressions/r1@example.com", ADMIN).json();
        assertThat(entry).containsEntry("reason", "UNSUBSCRIBED").containsEntry("messageId", id);
        assertThat(api.get("/v1/message-systems/letters/suppressions", ADMIN).json().get("items")).asList().hasSize(1);

        String next = (String) api.post("/v1/messages", alice, with(body, "html", "{{unsubscribeUrl}}")).json().get("id");
        Map<String, Object> sent = awaitFinal(next);
        assertThat(sent).containsEntry("status", "SENT");
        assertThat(sent.get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("sent", 2).containsEntry("suppressed", 1);
        assertThat(dataDir.resolve("outbox").resolve(next).resolve(next + "-0-1.eml")).doesNotExist();
    }

    /** A sample SES event from {@code infra/events/ses}, aimed at one recipient of one message. */
    private static String sesEvent(String fixture, String messageId, String address) throws Exception {
        Path file = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && file == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("infra/events/ses").resolve(fixture);
            file = java.nio.file.Files.isRegularFile(candidate) ? candidate : null;
        }
        return java.nio.file.Files.readString(file).replace("REPLACE-WITH-A-MESSAGE-ID", messageId)
                .replace("recipient@example.com", address);
    }

    @Test
    @SuppressWarnings("unchecked")
    void sesEventsFedByAnAdmin_showInTheRecipientsAndCounts_andABounceOrAComplaintSuppresses() throws Exception {
        api.post("/v1/message-systems", ADMIN, Map.of("id", "fed", "name", "Fed", "transport", "outbox", "from", "fed@example.com"));
        String id = (String) api.post("/v1/messages", alice, with(message(null, 3), "messageSystem", "fed")).json().get("id");
        assertThat(awaitFinal(id)).containsEntry("status", "SENT");
        String path = "/v1/feedback/ses";

        Api.Response bounce = api.post(path, ADMIN, sesEvent("bounce.json", id, "r1@example.com"));
        assertThat(bounce.status()).as(bounce.body()).isEqualTo(200);
        assertThat(bounce.json()).isEqualTo(Map.of("recorded", "APPLIED"));
        assertThat(api.post(path, ADMIN, sesEvent("bounce.json", id, "r1@example.com")).json())
                .isEqualTo(Map.of("recorded", "DUPLICATE"));
        assertThat(api.post(path, ADMIN, sesEvent("delivery.json", id, "r2@example.com")).json())
                .isEqualTo(Map.of("recorded", "APPLIED"));
        assertThat(api.post(path, ADMIN, sesEvent("complaint.json", id, "r2@example.com")).json())
                .isEqualTo(Map.of("recorded", "APPLIED"));
        assertThat(api.post(path, ADMIN, sesEvent("delivery.json", id, "r0@example.com")).status()).isEqualTo(200);
        assertThat(api.post(path, ADMIN, sesEvent("delivery.json", "no-such-message", "r0@example.com")).json())
                .isEqualTo(Map.of("recorded", "UNKNOWN"));
        assertThat(api.post(path, alice, sesEvent("bounce.json", id, "r0@example.com")).status()).isEqualTo(403);
        Api.Response unreadable = api.post(path, ADMIN, "{\"eventType\":\"Bounce\"}");
        assertThat(unreadable.status()).isEqualTo(400);
        assertThat(unreadable.errorFields()).containsExactly("body");

        Map<String, Object> read = api.get("/v1/messages/" + id, alice).json();
        assertThat(read).containsEntry("status", "SENT");
        assertThat((Map<String, Object>) read.get("counts")).containsEntry("sent", 3).containsEntry("delivered", 1)
                .containsEntry("bounced", 1).containsEntry("complained", 1).containsEntry("failed", 0);
        Map<String, Object> bounced = (Map<String, Object>) ((List<?>) api.get("/v1/messages/" + id
                + "/recipients?status=BOUNCED", alice).json().get("items")).get(0);
        assertThat(bounced).containsEntry("email", "r1@example.com").containsEntry("state", "BOUNCED")
                .containsEntry("error", "Permanent/General 5.1.1");
        assertThat((List<Map<String, Object>>) bounced.get("feedback")).singleElement().isEqualTo(Map.of(
                "kind", "PERMANENT_BOUNCE", "at", "2017-08-05T00:41:02.669Z", "detail", "Permanent/General 5.1.1"));
        Map<String, Object> complained = (Map<String, Object>) ((List<?>) api.get("/v1/messages/" + id
                + "/recipients?status=COMPLAINED", alice).json().get("items")).get(0);
        assertThat((List<Map<String, Object>>) complained.get("feedback")).extracting(f -> f.get("kind"))
                .containsExactly("DELIVERY", "COMPLAINT");
        assertThat(api.get("/v1/message-systems/fed/suppressions/r1@example.com", ADMIN).json()).containsEntry("reason", "BOUNCED");
        assertThat(api.get("/v1/message-systems/fed/suppressions/r2@example.com", ADMIN).json()).containsEntry("reason", "COMPLAINED");

        String next = (String) api.post("/v1/messages", alice, with(message(null, 3), "messageSystem", "fed")).json().get("id");
        assertThat((Map<String, Object>) awaitFinal(next).get("counts")).containsEntry("sent", 1).containsEntry("suppressed", 2);
    }

    private static List<Object> addresses(Api.Response page) {
        return ((List<?>) page.json().get("items")).stream().map(e -> ((Map<?, ?>) e).get("address")).map(Object.class::cast).toList();
    }

    @Test
    void frameworkErrors_areProblemsToo() {
        Api.Response unknownRoute = api.get("/v1/nothing-here", alice);
        Api.Response wrongMediaType = api.send("POST", "/v1/messages", alice, "x=1", "Content-Type", "text/plain");
        Api.Response badLimit = api.get("/v1/messages?limit=0", alice);

        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.contentType()).startsWith("application/problem+json");
        assertThat(wrongMediaType.status()).isEqualTo(415);
        assertThat(wrongMediaType.contentType()).startsWith("application/problem+json");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.contentType()).startsWith("application/problem+json");
    }
}
