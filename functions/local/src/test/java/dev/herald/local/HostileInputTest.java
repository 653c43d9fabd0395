package dev.herald.local;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.local.LocalServers.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a hostile or careless client sends, over real HTTP: each one a 4xx problem naming the
 * field at fault in the API's words, never a 5xx, never the framework's or a library's wording.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    static Path dataDir;
    private EmbeddedServer server;
    private Api api;
    private String sender;
    private final List<Api.Response> problems = new ArrayList<>();

    @BeforeAll
    void start() {
        server = LocalServers.start(dataDir, Map.of());
        api = new Api(server.getURL().toString());
        sender = (String) api.post("/v1/tokens", ADMIN, Map.of("name", "hostile", "role", "sender")).json().get("token");
    }

    @AfterAll
    void stop() {
        assertThat(problems).as("problems collected by the tests").isNotEmpty()
                .allSatisfy(problem -> assertThat(problem.body()).as("in the API's own words")
                        .doesNotContain("schema", "Required Body", "Failed to convert", "\"field\":\"/", "$.", "Exception", "at [Source"));
        server.close();
    }

    private static String message(String sendAt) {
        return Api.json(Map.of("messageSystem", "outbox", "subject", "Hello {{name}}", "text", "Hi {{name}}",
                "sendAt", sendAt, "recipients", List.of(Map.of("email", "ann@example.com", "name", "Ann"))));
    }

    private static String inOneHour() {
        return Instant.now().plus(Duration.ofHours(1)).toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Asserts a 400 problem naming exactly these fields, and keeps it for the wording check. */
    private Api.Response assertProblem(Api.Response response, String... fields) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.errorFields()).as(response.body()).containsExactlyInAnyOrder(fields);
        problems.add(response);
        return response;
    }

    @Test
    void aByteOrderMarkBeforeTheJson_isIgnored_onEveryEndpointThatTakesABody() {
        Api.Response message = api.sendBytes("POST", "/v1/messages", sender, concat(BOM, utf8(message(inOneHour()))));
        Api.Response token = api.sendBytes("POST", "/v1/tokens", ADMIN, concat(BOM, utf8("{\"name\":\"bom\",\"role\":\"sender\"}")));
        Api.Response system = api.sendBytes("POST", "/v1/message-systems", ADMIN, concat(BOM,
                utf8("{\"id\":\"bom-relay\",\"name\":\"Relay\",\"transport\":\"smtp\",\"from\":\"relay@example.com\","
                        + "\"smtp\":{\"host\":\"mail.example.com\"}}")));
        Api.Response account = api.sendBytes("PUT", "/v1/message-systems/bom-relay/job-account", ADMIN,
                concat(BOM, utf8("{\"name\":\"mailer\",\"password\":\"correct horse battery staple\"}")));

        assertThat(message.status()).as(message.body()).isEqualTo(202);
        assertThat(token.status()).as(token.body()).isEqualTo(201);
        assertThat(system.status()).as(system.body()).isEqualTo(201);
        assertThat(account.status()).as(account.body()).isEqualTo(204);
    }

    @Test
    void anythingAfterTheJsonValue_isA400NamingTheBody_andStoresNothing() {
        int before = ((List<?>) api.get("/v1/messages?limit=500", sender).json().get("items")).size();
        String valid = message(inOneHour());

        assertProblem(api.post("/v1/messages", sender, valid + " xyz"), "body");
        assertProblem(api.post("/v1/messages", sender, valid + valid), "body");
        assertProblem(api.post("/v1/messages", sender, valid + "}"), "body");
        assertProblem(api.post("/v1/tokens", ADMIN, "{\"name\":\"x\",\"role\":\"sender\"} []"), "body");
        assertProblem(api.patch("/v1/messages/some-id", sender, "{\"sendAt\":\"now\"} 1"), "body");

        assertThat((List<?>) api.get("/v1/messages?limit=500", sender).json().get("items")).hasSize(before);
    }

    @Test
    void invalidUtf8_isA400NamingTheBody_notReplacedInSilence() {
        byte[] body = utf8(message(inOneHour()).replace("Ann", "A\u0000NN"));
        int nul = indexOf(body, (byte) 0);
        body[nul] = (byte) 0xC3; // a lead byte with no continuation byte after it
        body[nul + 1] = (byte) 0x28;

        Api.Response response = assertProblem(api.sendBytes("POST", "/v1/messages", sender, body), "body");

        assertThat(response.body()).contains("UTF-8");
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    @Test
    void aFieldTwice_orAnUnpairedSurrogate_isA400NamingTheBody() {
        assertProblem(api.post("/v1/tokens", ADMIN, "{\"name\":\"a\",\"name\":\"b\",\"role\":\"sender\"}"), "body");
        assertProblem(api.post("/v1/tokens", ADMIN, "{\"name\":\"\\ud800\",\"role\":\"sender\"}"), "body");
    }

    @Test
    void noBody_orAnEmptyOne_isA400InTheApisWords() {
        Api.Response none = assertProblem(api.send("POST", "/v1/tokens", ADMIN, null, "Content-Type", "application/json"), "body");
        assertProblem(api.post("/v1/messages", sender, ""), "body");
        assertProblem(api.put("/v1/message-systems/outbox/job-account", ADMIN, "   "), "body");

        assertThat(none.body()).contains("a JSON object is required");
    }

    @Test
    void badQueryParameters_areNamedAsTheApiNamesThem() {
        for (String limit : List.of("abc", "0", "501", "1.5", "-1")) {
            Api.Response response = assertProblem(api.get("/v1/messages?limit=" + limit, sender), "limit");
            assertThat(response.body()).contains("must be a whole number from 1 to 500");
        }
        assertProblem(api.get("/v1/messages/x/recipients?limit=1001", sender), "limit");
        Api.Response status = assertProblem(api.get("/v1/messages?status=bogus", sender), "status");
        assertThat(status.body()).contains("must be one of SCHEDULED, SENDING, PAUSED");
    }

    @Test
    void aReadOnlyField_saysWhereItIsSet() {
        Api.Response response = assertProblem(api.post("/v1/message-systems", ADMIN, Map.of("id", "ro", "name", "x",
                "transport", "outbox", "from", "a@example.com", "jobAccount", Map.of("name", "a"))), "jobAccount");

        assertThat(response.body()).contains("PUT /v1/message-systems/{id}/job-account");
    }

    @Test
    void wrongTypes_areNamedWithWhatTheFieldMustBe() {
        Api.Response response = assertProblem(api.post("/v1/message-systems", ADMIN, "{\"name\":\"x\",\"transport\":\"pigeon\","
                + "\"from\":\"a@example.com\",\"maxSendRate\":\"fast\",\"smtp\":{\"host\":5}}"), "transport", "maxSendRate", "smtp.host");

        assertThat(response.body()).contains("must be a number", "must be a string", "must be one of 'outbox'");
    }

    @Test
    void anOverlongUrl_is414_andOverlargeHeaders_431_eachSayingWhichLimit() {
        Api.Response url = api.get("/v1/messages?cursor=" + "a".repeat(9_000), sender);
        Api.Response headers = api.send("GET", "/v1/health", null, null, "X-Padding", "b".repeat(20_000));

        assertThat(url.status()).isEqualTo(414);
        assertThat(url.contentType()).startsWith("application/problem+json");
        assertThat(url.body()).contains("request line").doesNotContain("body");
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.body()).contains("headers");
        assertThat(api.get("/v1/health", null).status()).as("the server still serves").isEqualTo(200);
    }

    @Test
    void theSameRequestReformattedOrReordered_underTheSameKey_isAReplay_notAConflict() {
        String sendAt = inOneHour();
        String compact = "{\"messageSystem\":\"outbox\",\"subject\":\"Hi\",\"text\":\"x\",\"sendAt\":\"" + sendAt
                + "\",\"recipients\":[{\"email\":\"ann@example.com\"}]}";
        String reformatted = "{\n  \"recipients\": [ { \"email\": \"ann@example.com\" } ],\n  \"text\": \"x\",\n  \"subject\": \"Hi\",\n"
                + "  \"sendAt\": \"" + sendAt + "\",\n  \"messageSystem\": \"outbox\"\n}\n";

        Api.Response first = api.post("/v1/messages", sender, compact, "Idempotency-Key", "reformatted-1");
        Api.Response again = api.post("/v1/messages", sender, reformatted, "Idempotency-Key", "reformatted-1");
        Api.Response changed = api.post("/v1/messages", sender, reformatted.replace("\"x\"", "\"y\""), "Idempotency-Key", "reformatted-1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(changed.status()).isEqualTo(422);
    }

    @Test
    void controlCharacters_inAnyFieldThatBecomesAHeaderAnAddressOrALogLine_areRefused() {
        Map<String, Object> recipient = Map.of("email", "ann@example.com", "name", "Ann\u0007");
        assertProblem(api.post("/v1/messages", sender, Map.of("messageSystem", "outbox", "subject", "Hi\u0000there",
                "text", "x", "recipients", List.of(recipient, Map.of("email", "\"a\u0000b\"@example.com")))),
                "subject", "recipients[0].name", "recipients[1].email");
        assertProblem(api.post("/v1/message-systems", ADMIN, Map.of("id", "esc", "name", "Bad\u001B[31m", "transport", "outbox",
                "from", "a@example.com", "fromName", "News\u0085")), "name", "fromName");
        assertProblem(api.post("/v1/tokens", ADMIN, Map.of("name", "x\n17:00:00.000 WARN FORGED", "role", "sender")), "name");
        assertProblem(api.put("/v1/message-systems/outbox/job-account", ADMIN, Map.of("name", "mailer\r\nQUIT", "password", "a\u0000b")),
                "name", "password");
    }

    @Test
    void messageSystemSettings_areValidatedAsStrictlyAsMessages() {
        Api.Response response = assertProblem(api.post("/v1/message-systems", ADMIN, Map.of("id", "smuggle", "name", "Relay",
                "transport", "smtp", "from", "relay@example.com", "replyTo", "ann@-example.com",
                "smtp", Map.of("host", "mail.example.com\r\nRCPT TO:<victim@example.com>", "port", 70000))),
                "smtp.host", "smtp.port", "replyTo");
        assertThat(response.body()).contains("host name");
        assertProblem(api.post("/v1/message-systems", ADMIN, Map.of("id", "spaces", "name", "Relay", "transport", "smtp",
                "from", "relay@example.com", "smtp", Map.of("host", "mail example.com"))), "smtp.host");
        assertProblem(api.post("/v1/message-systems", ADMIN, Map.of("id", "sesbad", "name", "SES", "transport", "outbox",
                "from", "zoë@example.com")), "from");
    }

    @Test
    void addressesFollowOneRule_anInternationalisedDomainIsSentInItsAsciiForm() throws Exception {
        assertProblem(api.post("/v1/messages", sender, Map.of("messageSystem", "outbox", "subject", "Hi", "text", "x",
                "recipients", List.of(Map.of("email", "ann@-example.com"), Map.of("email", "zoë@example.com"),
                        Map.of("email", "bob@example-.com")))), "recipients[0].email", "recipients[1].email", "recipients[2].email");

        Api.Response accepted = api.post("/v1/messages", sender, Map.of("messageSystem", "outbox", "subject", "Hallo",
                "text", "x", "recipients", List.of(Map.of("email", "ann@Bücher.example", "name", "Ann"))));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String id = (String) accepted.json().get("id");
        for (int i = 0; i < 100 && !"SENT".equals(api.get("/v1/messages/" + id, sender).json().get("status")); i++) {
            Thread.sleep(50); // the file is complete once the message is SENT, not when it first appears
        }
        Path outbox = dataDir.resolve("outbox").resolve(id);
        String mail;
        try (var files = java.nio.file.Files.list(outbox)) {
            mail = java.nio.file.Files.readString(files.findFirst().orElseThrow());
        }
        assertThat(mail).contains("To: Ann <ann@xn--bcher-kva.example>");
        assertThat(api.get("/v1/messages/" + id + "/recipients", sender).body()).contains("ann@xn--bcher-kva.example");
    }

    @Test
    void anEmptySendAt_isRefused_onlyAnAbsentOneOrNowMeansNow() {
        for (String empty : List.of("", "   ")) {
            assertProblem(api.post("/v1/messages", sender, message(empty)), "sendAt");
        }
        String id = (String) api.post("/v1/messages", sender, message(inOneHour())).json().get("id");
        assertProblem(api.patch("/v1/messages/" + id, sender, Map.of("sendAt", " ")), "sendAt");
        assertThat(api.get("/v1/messages/" + id, sender).json()).containsEntry("status", "SCHEDULED");
    }

    @Test
    void aTimeZone_isAnIanaName_neverAnOffset() {
        for (String zone : List.of("GMT+5", "+01:00", "Z")) {
            Api.Response response = assertProblem(api.post("/v1/messages", sender, Map.of("messageSystem", "outbox",
                    "subject", "Hi", "text", "x", "sendAt", "2030-03-05T09:00", "timeZone", zone,
                    "recipients", List.of(Map.of("email", "ann@example.com")))), "timeZone");
            assertThat(response.body()).contains("IANA");
        }
    }
}
