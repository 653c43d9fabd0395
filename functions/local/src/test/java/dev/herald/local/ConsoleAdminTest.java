package dev.herald.local;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.herald.local.FormBrowser.csrf;
import static dev.herald.local.LocalServers.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's admin pages over HTTP: message systems with their job accounts (write-only),
 * suppression lists and tokens for admins only, and recurring schedules with their next occurrences.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAdminTest {


    @TempDir
    static Path dataDir;
    private EmbeddedServer server;
    private Api api;
    private String alice;

    @BeforeAll
    void start() {
        server = LocalServers.start(dataDir, Map.of());
        api = new Api(server.getURL().toString());
        alice = LocalServers.token(api, "alice", "sender");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private FormBrowser signedIn(String token) {
        FormBrowser browser = new FormBrowser(api.base());
        assertThat(browser.signIn(token).statusCode()).isEqualTo(303);
        return browser;
    }

    @Test
    void aSender_isRefusedEveryAdminPageAndForm_andIsNotOfferedThem() {
        FormBrowser browser = signedIn(alice);
        String csrf = csrf(browser.get("/"));
        int tokens = ((List<?>) api.get("/v1/tokens", ADMIN).json().get("items")).size();

        assertThat(browser.get("/").body()).doesNotContain("/admin/");
        for (String page : List.of("/admin/systems", "/admin/systems/new", "/admin/systems/outbox",
                "/admin/systems/outbox/suppressions", "/admin/tokens")) {
            HttpResponse<String> refused = browser.get(page);
            assertThat(refused.statusCode()).as(page).isEqualTo(403);
            assertThat(refused.body()).as(page).contains("id=\"problem\">403").doesNotContain("outbox@");
        }
        assertThat(browser.post("/admin/tokens", Map.of("_csrf", csrf, "name", "mine", "role", "admin")).statusCode())
                .isEqualTo(403);
        assertThat(browser.post("/admin/systems/outbox/delete", Map.of("_csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(browser.post("/admin/systems/outbox/suppressions", Map.of("_csrf", csrf, "addresses", "x@example.com"))
                .statusCode()).isEqualTo(403);
        assertThat((List<?>) api.get("/v1/tokens", ADMIN).json().get("items")).as("no token issued").hasSize(tokens);
        assertThat(api.get("/v1/message-systems/outbox", ADMIN).status()).isEqualTo(200);
    }

    private static Map<String, String> systemForm(String csrf, String id, String from, String smtpHost) {
        Map<String, String> form = new HashMap<>(Map.of("_csrf", csrf, "id", id, "name", "Newsletter <b>", "enabled", "on",
                "transport", "smtp", "from", from, "smtp.host", smtpHost, "smtp.port", "2525", "scheduling.enabled", "on",
                "scheduling.category", "default"));
        form.put("unsubscribe.enabled", "on");
        return form;
    }

    @Test
    void anAdmin_createsAMessageSystem_withProblemsAtTheirFieldsFirst_andRewritesItsSettingsAndSendWindows() {
        FormBrowser browser = signedIn(ADMIN);
        String csrf = csrf(browser.get("/admin/systems/new"));
        Map<String, String> bad = systemForm(csrf, "news", "not-an-address", "bad host!");
        bad.put("scheduling.dailyCap", "5");

        HttpResponse<String> refused = browser.post("/admin/systems", bad);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"from-error\"", "id=\"smtp-host-error\"", "id=\"scheduling-dailyCap-error\"",
                "value=\"not-an-address\"", "value=\"bad host!\"", "Newsletter &lt;b&gt;");
        assertThat(api.get("/v1/message-systems/news", ADMIN).status()).as("nothing written").isEqualTo(404);
        Map<String, String> notANumber = systemForm(csrf, "news", "news@example.com", "smtp.example.com");
        notANumber.put("smtp.port", "twenty-five");
        assertThat(browser.post("/admin/systems", notANumber).body()).contains("id=\"smtp-port-error\">must be a whole number");

        HttpResponse<String> created = browser.post("/admin/systems", systemForm(csrf, "news", "news@example.com", "smtp.example.com"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        assertThat(created.headers().firstValue("location")).hasValue("/admin/systems/news");
        Map<String, Object> system = api.get("/v1/message-systems/news", ADMIN).json();
        assertThat(system).containsEntry("transport", "smtp").containsEntry("from", "news@example.com");
        assertThat(system.get("smtp").toString()).contains("host=smtp.example.com", "port=2525");
        assertThat(browser.get("/admin/systems").body()).contains("/admin/systems/news", "news@example.com");

        Map<String, Object> windows = Map.of("timeZone", "Europe/Vienna", "windows", List.of(Map.of("days", List.of("MON", "TUE"),
                "from", "09:00", "to", "17:00")));
        Map<String, Object> withWindows = new HashMap<>(Map.of("name", "Newsletter", "transport", "smtp", "from", "news@example.com",
                "smtp", Map.of("host", "smtp.example.com", "port", 2525), "scheduling", Map.of("sendWindows", windows)));
        assertThat(api.put("/v1/message-systems/news", ADMIN, withWindows).status()).isEqualTo(200);
        HttpResponse<String> page = browser.get("/admin/systems/news");
        assertThat(page.body()).contains("MON TUE 09:00-17:00</textarea>", "value=\"Europe/Vienna\"", "value=\"smtp.example.com\"");
        Map<String, String> renamed = systemForm(csrf(page), "", "news@example.com", "smtp.example.com");
        renamed.put("name", "Weekly news");
        renamed.remove("enabled");
        renamed.put("scheduling.sendWindows.timeZone", "Europe/Vienna");
        renamed.put("sendWindows", "MON-FRI 09:00-17:00\nSAT Someday 10:00-09:00");
        HttpResponse<String> badWindows = browser.post("/admin/systems/news", renamed);
        assertThat(badWindows.statusCode()).isEqualTo(400);
        assertThat(badWindows.body()).contains("id=\"sendWindows-error\">line 2: days ", "line 2: to must be after from",
                "SAT Someday 10:00-09:00</textarea>");
        renamed.put("sendWindows", "MON-FRI 09:00-17:00\nSAT 10:00-12:00");
        assertThat(browser.post("/admin/systems/news", renamed).statusCode()).isEqualTo(303);
        Map<String, Object> rewritten = api.get("/v1/message-systems/news", ADMIN).json();
        assertThat(rewritten).containsEntry("name", "Weekly news").containsEntry("enabled", false);
        assertThat(rewritten.get("scheduling").toString()).contains("timeZone=Europe/Vienna",
                "days=[MON, TUE, WED, THU, FRI], from=09:00, to=17:00", "days=[SAT], from=10:00, to=12:00");
        renamed.put("sendWindows", "");
        renamed.put("scheduling.sendWindows.timeZone", "");
        assertThat(browser.post("/admin/systems/news", renamed).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/message-systems/news", ADMIN).json().get("scheduling").toString()).doesNotContain("sendWindows");

        assertThat(browser.post("/admin/systems/news/delete", Map.of("_csrf", csrf(page))).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/message-systems/news", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void aJobAccount_isSetFromTheConsole_butItsPasswordIsNeverShown_norKeptInAFormThatComesBack() {
        FormBrowser browser = signedIn(ADMIN);
        String csrf = csrf(browser.get("/admin/systems/outbox"));

        HttpResponse<String> noPassword = browser.post("/admin/systems/outbox/job-account",
                Map.of("_csrf", csrf, "jobAccountName", "mailer", "jobAccountPassword", ""));
        assertThat(noPassword.statusCode()).isEqualTo(400);
        assertThat(noPassword.body()).contains("id=\"jobAccountPassword-error\">is required", "value=\"mailer\"");
        assertThat(api.get("/v1/message-systems/outbox", ADMIN).json().get("jobAccount").toString()).contains("passwordSet=false");

        HttpResponse<String> set = browser.post("/admin/systems/outbox/job-account",
                Map.of("_csrf", csrf, "jobAccountName", "mailer", "jobAccountPassword", "s3cret-Passw0rd"));
        assertThat(set.statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/message-systems/outbox", ADMIN).json().get("jobAccount").toString()).contains("passwordSet=true");
        HttpResponse<String> page = browser.get("/admin/systems/outbox");
        assertThat(page.body()).contains("Set, for mailer").doesNotContain("s3cret-Passw0rd");

        HttpResponse<String> noName = browser.post("/admin/systems/outbox/job-account",
                Map.of("_csrf", csrf, "jobAccountName", "", "jobAccountPassword", "another-Passw0rd"));
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("id=\"jobAccountName-error\"").doesNotContain("another-Passw0rd");
        assertThat(browser.post("/admin/systems/outbox/job-account/remove", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/message-systems/outbox", ADMIN).json().get("jobAccount").toString()).contains("passwordSet=false");
    }

    @Test
    void aSuppressionList_takesAddressesOneALine_refusesABadLineAddingNone_andTakesOneOff() {
        FormBrowser browser = signedIn(ADMIN);
        String csrf = csrf(browser.get("/admin/systems/outbox/suppressions"));

        HttpResponse<String> bad = browser.post("/admin/systems/outbox/suppressions",
                Map.of("_csrf", csrf, "addresses", "gone@example.com\nnot an address"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"addresses-error\">line 2: ", "not an address</textarea>");
        assertThat(api.get("/v1/message-systems/outbox/suppressions/gone@example.com", ADMIN).status()).isEqualTo(404);

        assertThat(browser.post("/admin/systems/outbox/suppressions",
                Map.of("_csrf", csrf, "addresses", "gone@example.com\n\nleft@example.com")).statusCode()).isEqualTo(303);
        assertThat(browser.get("/admin/systems/outbox/suppressions").body()).contains("gone@example.com", "left@example.com", "MANUAL");

        assertThat(browser.post("/admin/systems/outbox/suppressions/remove",
                Map.of("_csrf", csrf, "address", "gone@example.com")).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/message-systems/outbox/suppressions/gone@example.com", ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/v1/message-systems/outbox/suppressions/left@example.com", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void aToken_isShownOnce_whenIssued_worksOnTheApi_andIsRevokedFromTheList() {
        FormBrowser browser = signedIn(ADMIN);
        String csrf = csrf(browser.get("/admin/tokens"));
        assertThat(browser.post("/admin/tokens", Map.of("_csrf", csrf, "name", "", "role", "boss")).body())
                .contains("id=\"name-error\"", "id=\"role-error\"");

        HttpResponse<String> issued = browser.post("/admin/tokens", Map.of("_csrf", csrf, "name", "carol", "role", "sender"));

        assertThat(issued.statusCode()).isEqualTo(201);
        assertThat(issued.headers().firstValue("cache-control")).hasValue("no-store");
        String token = issued.body().replaceAll("(?s).*<pre id=\"issued-token\">([^<]+)</pre>.*", "$1");
        assertThat(api.get("/v1/messages", token).status()).isEqualTo(200);
        HttpResponse<String> list = browser.get("/admin/tokens");
        assertThat(list.body()).contains("carol").doesNotContain(token);
        String id = (String) ((List<?>) api.get("/v1/tokens", ADMIN).json().get("items")).stream().map(Map.class::cast)
                .filter(t -> t.get("name").equals("carol")).findFirst().orElseThrow().get("id");
        assertThat(browser.post("/admin/tokens/revoke", Map.of("_csrf", csrf(list), "id", id)).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/messages", token).status()).isEqualTo(401);
    }

    @Test
    void aRecurringSchedule_isCreatedAndChangedFromItsForm_withItsNextOccurrencesPreviewed_andProblemsAtTheirFields() {
        String list = (String) api.post("/v1/lists", alice, Map.of("messageSystem", "outbox", "name", "Weekly readers"))
                .json().get("id");
        FormBrowser browser = signedIn(alice);
        HttpResponse<String> blank = browser.get("/schedules/new");
        assertThat(blank.body()).contains("value=\"cron(0 9 ? * MON *)\"", "value=\"Europe/Paris\"", "Weekly readers");
        Map<String, String> form = new HashMap<>(Map.of("_csrf", csrf(blank), "name", "Friday letter", "messageSystem", "outbox",
                "subject", "Letter for {{name}}", "text", "Hi", "html", "", "list", list, "expression", "cron(30 16 ? * FRI *)",
                "timeZone", "Asia/Tokyo", "start", ""));
        form.put("end", "");

        // Fridays 16:30 in Tokyo are 08:30 in Paris in winter, 09:30 in summer.
        assertThat(browser.post("/schedules/preview", form).body())
                .containsPattern("<li>\\d{4}-\\d\\d-\\d\\d (08:30:00 CET|09:30:00 CEST)</li>");
        Map<String, String> tooOften = new HashMap<>(form);
        tooOften.put("expression", "rate(5 minutes)");
        assertThat(browser.post("/schedules/preview", tooOften).body()).contains("id=\"rule-problems\"", "expression: fires every PT5M");
        Map<String, String> bad = new HashMap<>(tooOften);
        bad.putAll(Map.of("name", "", "timeZone", "Mars/Olympus", "list", ""));
        HttpResponse<String> refused = browser.post("/schedules", bad);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"name-error\"", "id=\"timeZone-error\"", "id=\"list-error\"",
                "value=\"Mars/Olympus\"", "value=\"rate(5 minutes)\"");
        assertThat((List<?>) api.get("/v1/recurring-schedules", alice).json().get("items")).as("nothing stored")
                .noneMatch(schedule -> ((Map<?, ?>) schedule).get("name").equals("Friday letter"));

        HttpResponse<String> created = browser.post("/schedules", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String id = created.headers().firstValue("location").orElseThrow().substring("/schedules/".length());
        assertThat(api.get("/v1/recurring-schedules/" + id, alice).json()).containsEntry("expression", "cron(30 16 ? * FRI *)")
                .containsEntry("timeZone", "Asia/Tokyo");
        HttpResponse<String> edit = browser.get("/schedules/" + id + "/edit");
        assertThat(edit.body()).contains("value=\"Friday letter\"", "value=\"Asia/Tokyo\"");
        Map<String, String> changed = new HashMap<>(form);
        changed.putAll(Map.of("_csrf", csrf(edit), "expression", "rate(1 day)", "start", "2031-01-01T07:00"));
        assertThat(browser.post("/schedules/" + id, changed).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/recurring-schedules/" + id, alice).json()).containsEntry("expression", "rate(1 day)")
                .containsEntry("start", "2030-12-31T22:00:00Z");
    }

    @Test
    void recurringSchedules_showTheirNextOccurrencesInTheViewersZone_pauseAndResume_andASenderSeesItsOwn() {
        String list = (String) api.post("/v1/lists", alice, Map.of("messageSystem", "outbox", "name", "Readers")).json().get("id");
        api.post("/v1/lists/" + list + "/members", alice, Map.of("members", List.of(Map.of("email", "ann@example.com"))));
        Map<String, Object> body = new HashMap<>(Map.of("name", "Monday digest", "messageSystem", "outbox",
                "subject", "Digest", "text", "Hi", "list", list, "expression", "cron(0 9 ? * MON *)", "timeZone", "America/New_York"));
        Api.Response created = api.post("/v1/recurring-schedules", alice, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = (String) created.json().get("id");
        FormBrowser browser = signedIn(alice);

        HttpResponse<String> all = browser.get("/schedules");
        assertThat(all.body()).contains("Monday digest", "cron(0 9 ? * MON *) in America/New_York");
        HttpResponse<String> page = browser.get("/schedules/" + id);
        // 09:00 in New York is 15:00 in Paris (14:00 for the weeks their DST changes do not match).
        assertThat(page.body().split("<li>", -1)).hasSize(6);
        assertThat(page.body()).containsPattern("<li>\\d{4}-\\d\\d-\\d\\d 1[45]:00:00 CES?T</li>").contains("No occurrence yet");

        assertThat(browser.post("/schedules/" + id + "/pause", Map.of("_csrf", csrf(page))).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/recurring-schedules/" + id, alice).json()).containsEntry("state", "PAUSED");
        assertThat(browser.get("/schedules/" + id).body()).contains("None while it is paused");
        assertThat(browser.post("/schedules/" + id + "/resume", Map.of("_csrf", csrf(page))).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/recurring-schedules/" + id, alice).json()).containsEntry("state", "ACTIVE");

        String bob = LocalServers.token(api, "bob", "sender");
        FormBrowser bobs = signedIn(bob);
        assertThat(bobs.get("/schedules").body()).doesNotContain("Monday digest");
        assertThat(bobs.get("/schedules/" + id).statusCode()).isEqualTo(404);
        assertThat(signedIn(ADMIN).get("/schedules").body()).contains("Monday digest");
    }
}
