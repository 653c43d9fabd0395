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

/** The console over HTTP, as a browser without script would use it: sign-in, CSRF, escaping, whose messages. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {


    @TempDir
    static Path dataDir;
    private EmbeddedServer server;
    private Api api;
    private String alice;
    private String bob;

    @BeforeAll
    void start() {
        server = LocalServers.start(dataDir, Map.of());
        api = new Api(server.getURL().toString());
        alice = LocalServers.token(api, "alice", "sender");
        bob = LocalServers.token(api, "bob", "sender");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private String schedule(String token, String subject) {
        return (String) api.post("/v1/messages", token, Map.of("messageSystem", "outbox", "subject", subject, "text", "Hi {{name}}",
                "sendAt", "2030-01-01T09:00:00", "timeZone", "Europe/Paris",
                "recipients", List.of(Map.of("email", "ann@example.com", "name", "Ann")))).json().get("id");
    }

    @Test
    void signingIn_takesAValidTokenOnce_keepsItInAStrictHttpOnlyCookie_andSigningOutEndsIt() {
        FormBrowser browser = new FormBrowser(api.base());
        assertThat(browser.get("/").statusCode()).isEqualTo(303);
        HttpResponse<String> form = browser.get("/sign-in");
        assertThat(form.headers().firstValue("content-security-policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'").doesNotContain("unsafe-inline", "http");

        HttpResponse<String> wrong = browser.post("/sign-in", Map.of("_csrf", csrf(form), "token", "not-a-token",
                "zone", "Asia/Tokyo"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Token is not a valid token", "value=\"Asia/Tokyo\"");
        assertThat(browser.cookies).doesNotContainKey("herald_console");

        HttpResponse<String> signedIn = browser.signIn(alice);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().allValues("set-cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("herald_console=").contains("HTTPOnly", "SameSite=Strict", "Path=/"));
        HttpResponse<String> messages = browser.get("/");
        assertThat(messages.statusCode()).isEqualTo(200);
        assertThat(messages.body()).contains("sender · times in Europe/Paris");

        HttpResponse<String> out = browser.post("/sign-out", Map.of("_csrf", csrf(messages)));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(browser.get("/").statusCode()).as("signed out").isEqualTo(303);
    }

    @Test
    void aFormWithoutItsCsrfField_isRefused_andChangesNothing() {
        String id = schedule(alice, "Keep me");
        FormBrowser browser = new FormBrowser(api.base());
        HttpResponse<String> noSignInSecret = browser.post("/sign-in", Map.of("token", alice, "zone", "UTC"));
        assertThat(noSignInSecret.statusCode()).isEqualTo(403);
        assertThat(browser.cookies).doesNotContainKey("herald_console");
        browser.signIn(alice);

        HttpResponse<String> forged = browser.post("/messages/" + id + "/cancel", Map.of());
        HttpResponse<String> stale = browser.post("/messages/" + id + "/cancel", Map.of("_csrf", "guessed"));

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(stale.statusCode()).isEqualTo(403);
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("status", "SCHEDULED");
        HttpResponse<String> page = browser.get("/messages/" + id);
        assertThat(browser.post("/messages/" + id + "/cancel", Map.of("_csrf", csrf(page))).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("status", "CANCELLED");
    }

    @Test
    void aScriptInASubject_isShownAsText_onEveryPage() {
        String id = schedule(alice, "<script>alert('x')</script><img src=x onerror=alert(1)>");
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);

        for (String page : List.of("/", "/messages/" + id, "/messages/" + id + "?recipient=0", "/messages/" + id + "/live")) {
            String body = browser.get(page).body();
            assertThat(body).as(page).doesNotContain("<script>alert", "<img src=x");
        }
        assertThat(browser.get("/messages/" + id + "?recipient=0").body())
                .contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;");
    }

    @Test
    void aPausedMessage_isResumedAtItsOwnTime_orAtATimeTyped_andAPastTimeComesBackAtItsField() {
        String id = schedule(alice, "Resume me");
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        String csrf = csrf(browser.get("/messages/" + id));
        assertThat(browser.post("/messages/" + id + "/pause", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(browser.get("/messages/" + id).body()).contains("action=\"/messages/" + id + "/resume\" class=\"when\"",
                "Resume at this time");

        HttpResponse<String> past = browser.post("/messages/" + id + "/resume", Map.of("_csrf", csrf,
                "date", "2020-05-01", "time", "10:00", "zone", "Europe/Paris"));
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(past.body()).contains("id=\"date-error\"", "value=\"2020-05-01\"");
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("status", "PAUSED");

        assertThat(browser.post("/messages/" + id + "/resume", Map.of("_csrf", csrf, "date", "2031-01-01", "time", "10:00",
                "zone", "Europe/Paris")).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("status", "SCHEDULED")
                .containsEntry("sendAt", "2031-01-01T09:00:00Z");
        browser.post("/messages/" + id + "/pause", Map.of("_csrf", csrf));
        assertThat(browser.post("/messages/" + id + "/resume", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("status", "SCHEDULED")
                .containsEntry("sendAt", "2031-01-01T09:00:00Z");
    }

    @Test
    void theLiveCounts_askForTheWholePage_onceTheStatusIsNoLongerTheOneShown() {
        String id = schedule(alice, "Live");
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);

        HttpResponse<String> same = browser.get("/messages/" + id + "/live?shown=SCHEDULED");
        HttpResponse<String> changed = browser.get("/messages/" + id + "/live?shown=SENDING");

        assertThat(same.headers().firstValue("hx-refresh")).isEmpty();
        assertThat(same.body()).contains("id=\"message-status\">SCHEDULED");
        assertThat(changed.headers().firstValue("hx-refresh")).hasValue("true");
    }

    @Test
    void aMessageWaitingForItsSendWindow_saysSo_andWhenItGoesOn() throws InterruptedException {
        java.time.LocalDate inTwoDays = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        String id = (String) api.post("/v1/messages", alice, Map.of("messageSystem", "outbox", "subject", "Office hours",
                "text", "Hi", "recipients", List.of(Map.of("email", "ann@example.com")), "sendWindows", Map.of("timeZone", "UTC",
                        "windows", List.of(Map.of("days", List.of(inTwoDays.getDayOfWeek().name().substring(0, 3)),
                                "from", "06:30", "to", "18:00"))))).json().get("id");
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        String page = "";
        for (int i = 0; i < 100 && !page.contains("id=\"waiting\""); i++) {
            Thread.sleep(50); // until its first run has found the window closed
            page = browser.get("/messages/" + id).body();
        }
        // 06:30 UTC is 07:30 in Paris in winter, 08:30 in summer.
        assertThat(page).containsPattern("id=\"waiting\">Waiting: .* It goes on at " + inTwoDays + " 0[78]:30:00 CES?T");
    }

    @Test
    void aSender_seesOnlyItsOwnMessages_asInTheApi() {
        String mine = schedule(alice, "Alice's news");
        FormBrowser bobsBrowser = new FormBrowser(api.base());
        bobsBrowser.signIn(bob);

        assertThat(bobsBrowser.get("/").body()).doesNotContain("Alice&#x27;s news", mine);
        HttpResponse<String> theirs = bobsBrowser.get("/messages/" + mine);
        assertThat(theirs.statusCode()).isEqualTo(404);
        assertThat(theirs.body()).doesNotContain("Alice");
        FormBrowser admin = new FormBrowser(api.base());
        admin.signIn(ADMIN);
        assertThat(admin.get("/").body()).contains("Alice&#x27;s news");
    }

    private static Map<String, String> compose(String csrf, String recipients, String date, String time, String zone) {
        Map<String, String> form = new HashMap<>(Map.of("_csrf", csrf, "messageSystem", "outbox",
                "subject", "Hello {{name}}", "text", "Dear {{name}}, <b>news</b>", "html", "", "recipients", recipients,
                "list", "", "date", date, "time", time, "zone", zone));
        return form;
    }

    @Test
    void composing_previewsWithHeraldsRenderer_resolvesTheInstant_sendsATest_andSchedules() {
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        String csrf = csrf(browser.get("/compose"));
        String three = "ann@example.com, Ann\nben@example.com, Ben\ncid@example.com";

        HttpResponse<String> preview = browser.post("/compose/preview", compose(csrf, three, "2031-06-02", "09:00", "Asia/Tokyo"));
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("Preview for ann@example.com", "Hello Ann", "Dear Ann, &lt;b&gt;news&lt;/b&gt;",
                "2031-06-02 00:00:00 UTC", "2031-06-02 02:00:00 CEST (+02:00)");
        assertThat(browser.post("/compose/preview", compose(csrf, three, "2031-03-30", "02:30", "Europe/Paris")).body())
                .contains("02:30 does not exist in Europe/Paris that day", "sent at 03:30");
        assertThat(browser.post("/compose/preview", compose(csrf, three, "2031-10-26", "02:30", "Europe/Paris")).body())
                .contains("02:30 happens twice in Europe/Paris that day", "offset +02:00");

        Map<String, String> test = compose(csrf, three, "2031-06-02", "09:00", "Asia/Tokyo");
        test.put("testAddress", "me@example.com");
        HttpResponse<String> tested = browser.post("/compose/test", test);
        assertThat(tested.statusCode()).isEqualTo(200);
        assertThat(tested.body()).contains("A test went to me@example.com", "ann@example.com, Ann");

        HttpResponse<String> scheduled = browser.post("/compose", compose(csrf, three, "2031-06-02", "09:00", "Asia/Tokyo"));
        assertThat(scheduled.statusCode()).isEqualTo(303);
        String id = scheduled.headers().firstValue("location").orElseThrow().substring("/messages/".length());
        Map<String, Object> message = api.get("/v1/messages/" + id, alice).json();
        assertThat(message).containsEntry("sendAt", "2031-06-02T00:00:00Z").containsEntry("timeZone", "Asia/Tokyo");
        assertThat(message.get("counts").toString()).contains("total=3");
    }

    @Test
    void composingInEachRecipientsLocalTime_previewsTheFirstAndLastInstant_andMakesATaskPerInstant() {
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        String csrf = csrf(browser.get("/compose"));
        Map<String, String> form = compose(csrf, "ann@example.com, Ann, Asia/Tokyo\nben@example.com, Ben\n"
                + "cid@example.com, , America/New_York", "2031-06-02", "09:00", "Europe/Paris");
        form.put("localTime", "on");

        assertThat(browser.post("/compose/preview", form).body()).contains("Sends first at <strong>2031-06-02 00:00:00 UTC",
                "09:00 in each recipient&#x27;s zone: 3 instant(s), the first in Asia/Tokyo, the last at "
                        + "2031-06-02 13:00:00 UTC (+00:00) in America/New_York");
        Map<String, String> badZone = new HashMap<>(form);
        badZone.put("recipients", "ann@example.com, Ann, Asia/Tokio");
        assertThat(browser.post("/compose", badZone).body()).contains("id=\"recipients-error\">line 1: timeZone ");

        HttpResponse<String> scheduled = browser.post("/compose", form);
        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(303);
        String id = scheduled.headers().firstValue("location").orElseThrow().substring("/messages/".length());
        Map<String, Object> message = api.get("/v1/messages/" + id, alice).json();
        assertThat(message).containsEntry("localSendAt", "2031-06-02T09:00");
        assertThat(((List<?>) message.get("tasks")).stream().map(task -> String.valueOf(((Map<?, ?>) task).get("fireAt"))).toList())
                .containsExactly("2031-06-02T00:00:00Z", "2031-06-02T07:00:00Z", "2031-06-02T13:00:00Z");
        HttpResponse<String> page = browser.get("/messages/" + id);
        assertThat(page.body()).contains("at 2031-06-02T09:00 in each recipient's zone", "value=\"09:00:00\"",
                "value=\"Europe/Paris\"");
        assertThat(browser.post("/messages/" + id + "/reschedule", Map.of("_csrf", csrf(page), "date", "2031-06-03",
                "time", "08:00", "zone", "Europe/Paris")).statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("localSendAt", "2031-06-03T08:00");
    }

    @Test
    void aList_isCreated_filledByPasting_allOrNone_thinnedRenamedAndDeleted_andIsItsOwnersOnly() {
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        String csrf = csrf(browser.get("/lists"));
        assertThat(browser.post("/lists", Map.of("_csrf", csrf, "name", "", "messageSystem", "nope")).body())
                .contains("id=\"name-error\"", "id=\"messageSystem-error\"", "value=\"nope\"");
        HttpResponse<String> created = browser.post("/lists", Map.of("_csrf", csrf, "name", "Members", "messageSystem", "outbox"));
        assertThat(created.statusCode()).isEqualTo(303);
        String list = created.headers().firstValue("location").orElseThrow();

        HttpResponse<String> bad = browser.post(list + "/members", Map.of("_csrf", csrf,
                "members", "ann@example.com, Ann, Asia/Tokyo\nbroken\nben@example.com, Ben, Mars/Base"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"members-error\">line 2: email ", "line 3: timeZone ", "broken\nben@example.com");
        assertThat(browser.get(list).body()).contains("<span id=\"member-count\">0</span>");

        assertThat(browser.post(list + "/members", Map.of("_csrf", csrf,
                "members", "ann@example.com, Ann, Asia/Tokyo\n\nben@example.com, Ben\ncid@example.com")).statusCode()).isEqualTo(303);
        assertThat(browser.get(list).body()).contains("<span id=\"member-count\">3</span>", "Asia/Tokyo", "ben@example.com");
        assertThat(browser.post(list + "/members/remove", Map.of("_csrf", csrf, "addresses", "ben@example.com")).statusCode())
                .isEqualTo(303);
        assertThat(browser.post(list + "/rename", Map.of("_csrf", csrf, "name", "Readers")).statusCode()).isEqualTo(303);
        HttpResponse<String> page = browser.get(list);
        assertThat(page.body()).contains("<span id=\"member-count\">2</span>", "id=\"list-name\">Readers").doesNotContain("ben@");

        FormBrowser bobs = new FormBrowser(api.base());
        bobs.signIn(bob);
        assertThat(bobs.get("/lists").body()).doesNotContain("Readers");
        assertThat(bobs.get(list).statusCode()).isEqualTo(404);
        assertThat(browser.post(list + "/delete", Map.of("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(browser.get(list).statusCode()).isEqualTo(404);
    }

    @Test
    void composingWithLimits_sendsBySendWindowsAndADailyCap_showsTheirProblemsAtTheirFields_thenSchedules() {
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        String csrf = csrf(browser.get("/compose"));
        Map<String, String> bad = compose(csrf, "ann@example.com", "2031-06-02", "09:00", "Europe/Paris");
        bad.putAll(Map.of("sendBy", "2031-06-01T09:00", "sendWindows", "MON-FRI 09:00-17:00\nSUN 18:00-08:00",
                "sendWindowsZone", "Mars/Base", "dailyCap", "5"));

        HttpResponse<String> refused = browser.post("/compose", bad);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<details id=\"limits\" open>", "id=\"sendBy-error\"",
                "id=\"sendWindows-error\">line 2: to must be after from", "id=\"sendWindowsZone-error\"",
                "id=\"dailyCap-error\"", "SUN 18:00-08:00</textarea>", "value=\"Mars/Base\"");
        Map<String, String> notANumber = new HashMap<>(bad);
        notANumber.put("dailyCap", "lots");
        assertThat(browser.post("/compose", notANumber).body()).contains("id=\"dailyCap-error\">must be a whole number");

        Map<String, String> good = compose(csrf, "ann@example.com", "2031-06-02", "09:00", "Europe/Paris");
        good.putAll(Map.of("sendBy", "2031-06-02T18:00", "sendWindows", "MON-FRI 09:00-17:00", "sendWindowsZone", "Europe/Paris",
                "dailyCap", "1000"));
        HttpResponse<String> scheduled = browser.post("/compose", good);
        assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(303);
        String id = scheduled.headers().firstValue("location").orElseThrow().substring("/messages/".length());
        Map<String, Object> message = api.get("/v1/messages/" + id, alice).json();
        assertThat(message).containsEntry("sendBy", "2031-06-02T16:00:00Z").containsEntry("dailyCap", 1000);
        assertThat(message.get("sendWindows").toString()).contains("timeZone=Europe/Paris",
                "days=[MON, TUE, WED, THU, FRI], from=09:00, to=17:00");
    }

    @Test
    void aComposeFormWithProblems_showsTheApisWordsAtEachField_keepsWhatWasTyped_andWritesNothing() {
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(bob);
        String csrf = csrf(browser.get("/compose"));
        Map<String, String> bad = compose(csrf, "ann@example.com\nnot-an-address", "2020-01-01", "09:00", "Mars/Base");
        bad.put("messageSystem", "nope");
        int before = ((List<?>) api.get("/v1/messages", bob).json().get("items")).size();

        HttpResponse<String> answer = browser.post("/compose", bad);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("id=\"messageSystem-error\"", "id=\"recipients-error\">line 2: email",
                "id=\"zone-error\"", "value=\"nope\"", "not-an-address</textarea>", "value=\"Mars/Base\"");
        assertThat((List<?>) api.get("/v1/messages", bob).json().get("items")).hasSize(before);
    }

    @Test
    void aScheduledMessage_isRescheduledFromItsPage_andAPastTimeComesBackAtItsField() {
        String id = schedule(alice, "Move me");
        FormBrowser browser = new FormBrowser(api.base());
        browser.signIn(alice);
        HttpResponse<String> page = browser.get("/messages/" + id);
        assertThat(page.body()).contains("value=\"2030-01-01\"", "value=\"09:00:00\"", "value=\"Europe/Paris\"");

        HttpResponse<String> past = browser.post("/messages/" + id + "/reschedule", Map.of("_csrf", csrf(page),
                "date", "2020-05-01", "time", "10:00", "zone", "Europe/Paris"));
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(past.body()).contains("id=\"date-error\"", "value=\"2020-05-01\"");
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("sendAt", "2030-01-01T08:00:00Z");

        HttpResponse<String> moved = browser.post("/messages/" + id + "/reschedule", Map.of("_csrf", csrf(page),
                "date", "2030-07-01", "time", "10:00", "zone", "Europe/Paris"));
        assertThat(moved.statusCode()).isEqualTo(303);
        assertThat(api.get("/v1/messages/" + id, alice).json()).containsEntry("sendAt", "2030-07-01T08:00:00Z");
    }
}
