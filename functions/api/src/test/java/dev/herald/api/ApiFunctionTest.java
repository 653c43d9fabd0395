package dev.herald.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.herald.aws.DynamoDbStore;
import dev.herald.core.storage.Documents;
import dev.herald.core.system.JobAccounts;
import dev.herald.send.SendEvent;
import dev.herald.send.SendHandler;
import dev.herald.send.SendResult;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.FakeLambdaContext;
import dev.herald.testkit.HeraldTable;
import dev.herald.testkit.LambdaEvents;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API function fed API Gateway payload 2.0 events: DynamoDB on dynalite, EventBridge Scheduler
 * and KMS on moto, SES on aws-ses-v2-local.
 */
class ApiFunctionTest {

    private static final String TABLE = "herald-api-test";
    /** Schedules are set this long before their instant (a minute by default): short, so that the test need not wait. */
    private static final String ARMING_LEAD = "PT2S";
    private static Emulator dynalite;
    private static Emulator ses;
    private static Emulator moto;
    private static SchedulerClient schedules;
    private static SendHandler sendHandler;
    private static ApiHandler function;
    private static ApplicationContext context;
    /** The sender of the sample events. */
    private static final Map<String, String> ALICE = Map.of("sub", "7b1d9c3e-alice", "cognito:groups", "[herald-sender]");
    private static final Map<String, String> ADMIN = Map.of("sub", "2f5e6a1c-admin", "cognito:groups", "[herald-admin]");
    private final Documents json = new Documents();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test");
        dynalite = Emulator.dynalite();
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint())) {
            HeraldTable.create(dynamo, TABLE, DynamoDbStore.INDEXES);
        }
        ses = Emulator.sesV2Local();
        moto = Emulator.moto();
        schedules = AwsClients.scheduler(moto.endpoint());
        String key = AwsClients.kms(moto.endpoint()).createKey(r -> r.description("herald")).keyMetadata().keyId();
        String secret = AwsClients.createUnsubscribeSecret(moto.endpoint(), "herald-api-test-unsubscribe-link-key");
        AwsClients.createSendFunction(moto.endpoint(), "herald-send");
        sendHandler = new SendHandler(ApplicationContext.builder().properties(Map.of(
                "herald.aws.endpoint", moto.endpoint(),
                "herald.table", TABLE,
                "herald.kms-key-id", "alias/herald",
                "herald.unsubscribe-secret-arn", secret,
                "herald.public-url", "https://mail.example.com",
                "herald.send-function-arn", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live",
                "herald.arming-lead", ARMING_LEAD,
                "herald.aws.region", "eu-west-1",
                "herald.aws.dynamodb-endpoint", dynalite.endpoint(),
                "herald.aws.ses-endpoint", ses.endpoint())));
        context = ApplicationContext.run(Map.of(
                "herald.table", TABLE,
                "herald.kms-key-id", key,
                "herald.unsubscribe-secret-arn", secret,
                "herald.send-function-arn", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live",
                "herald.scheduler-role-arn", "arn:aws:iam::123456789012:role/herald-scheduler",
                "herald.arming-lead", ARMING_LEAD,
                "herald.aws.region", "eu-west-1",
                "herald.aws.endpoint", moto.endpoint(),
                "herald.aws.dynamodb-endpoint", dynalite.endpoint()));
        function = new ApiHandler(context);
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
        sendHandler.close();
        schedules.close();
        moto.close();
        ses.close();
        dynalite.close();
    }

    /** A sample event from {@code infra/events}, edited, then deserialized as the Lambda runtime does. */
    @SuppressWarnings("unchecked")
    private APIGatewayV2HTTPEvent event(String fixture, Consumer<Map<String, Object>> edit) {
        Map<String, Object> event = json.read(LambdaEvents.fixture(fixture), Map.class);
        edit.accept(event);
        return LambdaEvents.deserialize(json.write(event), APIGatewayV2HTTPEvent.class);
    }

    private APIGatewayV2HTTPEvent event(String fixture) {
        return event(fixture, e -> { });
    }

    /** The list-messages sample turned into a GET of {@code path} by the caller with these claims. */
    private APIGatewayV2HTTPEvent get(String path, Map<String, String> claims) {
        return event("api/list-messages.json", e -> {
            e.put("rawPath", path);
            e.put("rawQueryString", "");
            Map<String, Object> requestContext = child(e, "requestContext");
            child(requestContext, "http").put("path", path);
            if (claims == null) {
                requestContext.remove("authorizer");
            } else {
                child(child(requestContext, "authorizer"), "jwt").put("claims", claims);
            }
        });
    }

    private Consumer<Map<String, Object>> withBody(Map<String, Object> body) {
        return e -> e.put("body", json.write(body));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        return json.read(response.getBody(), Map.class);
    }

    @Test
    void theSampleEvents_anAdminCreatesASystem_aSenderSchedules_theScheduleIsCreated_andOnlyTheSenderSeesTheMessage() {
        APIGatewayV2HTTPResponse system = function.handleRequest(event("api/create-message-system.json"), null);
        assertThat(system.getStatusCode()).as(system.getBody()).isEqualTo(201);
        APIGatewayV2HTTPResponse accepted = function.handleRequest(event("api/schedule-message.json"), null);

        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");
        // 09:00 in Paris on 7 January is 08:00 UTC; the schedule is set the arming lead before.
        GetScheduleResponse schedule = schedules.getSchedule(r -> r.groupName("herald-newsletters").name("herald-" + taskId));
        assertThat(schedule.scheduleExpression()).isEqualTo("at(2030-01-07T07:59:58)");
        assertThat(schedule.target().input()).contains(taskId);
        APIGatewayV2HTTPResponse read = function.handleRequest(get("/v1/messages/" + id, ALICE), null);
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(body(read)).containsEntry("status", "SCHEDULED");
        APIGatewayV2HTTPResponse listed = function.handleRequest(event("api/list-messages.json"), null);
        assertThat((List<?>) body(listed).get("items")).anySatisfy(m -> assertThat(((Map<?, ?>) m).get("id")).isEqualTo(id));
        Map<String, String> bob = Map.of("sub", "bob", "cognito:groups", "herald-sender");
        assertThat(function.handleRequest(get("/v1/messages/" + id, bob), null).getStatusCode()).isEqualTo(404);
        assertThat(function.handleRequest(get("/v1/message-systems", ALICE), null).getStatusCode()).isEqualTo(403);
    }

    @Test
    void endToEnd_theSchedulesInputFedToTheSendFunction_deliversThroughSes_andTheApiShowsSent() throws Exception {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "ses-e2e", "name", "SES",
                "transport", "ses", "from", "news@example.com"))), null);
        Instant sendAt = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> message = Map.of("messageSystem", "ses-e2e", "subject", "Order {{order}} for {{name}}",
                "text", "Hello {{name}}", "sendAt", sendAt.toString(), "recipients", List.of(
                        Map.of("email", "ann@example.com", "name", "Ann", "data", Map.of("order", "A-1")),
                        Map.of("email", "bob@example.com", "name", "Bob", "data", Map.of("order", "B-2"))));
        APIGatewayV2HTTPResponse accepted = function.handleRequest(event("api/schedule-message.json", withBody(message)), null);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");
        String input = schedules.getSchedule(r -> r.groupName("herald-default").name("herald-" + taskId)).target().input();
        // EventBridge replaces the placeholder with the schedule's time when it fires: the lead before the instant.
        String fired = input.replace("<aws.scheduler.scheduled-time>", sendAt.minus(Duration.parse(ARMING_LEAD)).toString());

        SendResult result = sendHandler.handleRequest(LambdaEvents.deserialize(fired, SendEvent.class), null);

        assertThat(Instant.now()).as("the send function waited for the instant").isAfterOrEqualTo(sendAt);
        assertThat(result.outcome()).isEqualTo("COMPLETED");
        assertThat(result.sent()).isEqualTo(2);
        String store = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ses.endpoint() + "/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(store).contains("Order A-1 for Ann").contains("Order B-2 for Bob");
        Map<String, Object> read = body(function.handleRequest(get("/v1/messages/" + id, ALICE), null));
        assertThat(read).containsEntry("status", "SENT");
        Map<String, Object> recipients = body(function.handleRequest(get("/v1/messages/" + id + "/recipients", ALICE), null));
        assertThat((List<?>) recipients.get("items")).hasSize(2)
                .allSatisfy(r -> assertThat(((Map<?, ?>) r).get("state")).isEqualTo("SENT"));

        // Bob's mail client follows his one-click link: the API function, without a login, lists him.
        String link = unsubscribeLinkAtSes(store, "bob@example.com");
        assertThat(link).startsWith("https://mail.example.com/v1/unsubscribe/");
        String token = link.substring(link.lastIndexOf('/') + 1);
        APIGatewayV2HTTPResponse page = function.handleRequest(event("api/one-click-unsubscribe.json", e -> {
            replaceToken(e, token);
            child(child(e, "requestContext"), "http").put("method", "GET");
            e.remove("body");
        }), null);
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getBody()).contains("b…@example.com", "<form method=\"post\">");
        APIGatewayV2HTTPResponse unsubscribed = function.handleRequest(event("api/one-click-unsubscribe.json",
                e -> replaceToken(e, token)), null);
        assertThat(unsubscribed.getStatusCode()).as(unsubscribed.getBody()).isEqualTo(200);
        APIGatewayV2HTTPResponse otherBody = function.handleRequest(event("api/one-click-unsubscribe.json", e -> {
            replaceToken(e, token);
            e.put("isBase64Encoded", false);
            e.put("body", "List-Unsubscribe=One-Click&and=more");
        }), null);
        assertThat(otherBody.getStatusCode()).isEqualTo(400);
        APIGatewayV2HTTPResponse forged = function.handleRequest(event("api/one-click-unsubscribe.json",
                e -> replaceToken(e, token.substring(0, token.length() - 4))), null);
        assertThat(forged.getStatusCode()).isEqualTo(404);
        Map<String, Object> entry = body(function.handleRequest(get("/v1/message-systems/ses-e2e/suppressions/bob@example.com",
                ADMIN), null));
        assertThat(entry).containsEntry("reason", "UNSUBSCRIBED").containsEntry("messageId", id);
    }

    /** The schedule-message sample turned into a POST of {@code body} to {@code path} by the caller with these claims. */
    private APIGatewayV2HTTPEvent post(String path, Map<String, ?> body, Map<String, String> claims) {
        return event("api/schedule-message.json", e -> {
            e.put("rawPath", path);
            e.put("body", json.write(body));
            Map<String, Object> requestContext = child(e, "requestContext");
            child(requestContext, "http").put("path", path);
            child(child(requestContext, "authorizer"), "jwt").put("claims", claims);
        });
    }

    @Test
    void aListKeptInDynamoDb_isCopiedIntoTheMessageWhenTheSendFunctionFiresIt_minusSuppressions() throws Exception {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "ses-lists", "name", "SES",
                "transport", "ses", "from", "lists@example.com"))), null);
        APIGatewayV2HTTPResponse created = function.handleRequest(post("/v1/lists",
                Map.of("messageSystem", "ses-lists", "name", "Readers"), ALICE), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String list = (String) body(created).get("id");
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            members.add(Map.of("email", "reader" + i + "@example.com", "name", "Reader " + i));
        }
        APIGatewayV2HTTPResponse put = function.handleRequest(post("/v1/lists/" + list + "/members",
                Map.of("members", members), ALICE), null);
        assertThat(body(put)).isEqualTo(Map.of("added", 250, "updated", 0, "memberCount", 250));
        function.handleRequest(post("/v1/lists/" + list + "/members/remove",
                Map.of("addresses", List.of("reader0@example.com")), ALICE), null);
        function.handleRequest(post("/v1/message-systems/ses-lists/suppressions",
                Map.of("addresses", List.of("reader1@example.com", "reader2@example.com")), ADMIN), null);
        // Beyond the arming lead, so that the API arms a schedule; the send function waits for the instant.
        Instant sendAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        APIGatewayV2HTTPResponse accepted = function.handleRequest(post("/v1/messages", Map.of("messageSystem", "ses-lists",
                "subject", "Issue 1 for {{name}}", "text", "Hello {{name}}", "sendAt", sendAt.toString(), "list", list), ALICE), null);
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");

        SendResult result = sendHandler.handleRequest(LambdaEvents.deserialize(
                "{\"taskId\":\"" + taskId + "\",\"trigger\":\"SCHEDULE\"}", SendEvent.class), null);

        assertThat(result.outcome()).isEqualTo("COMPLETED");
        assertThat(result.sent()).isEqualTo(247);
        Map<String, Object> read = body(function.handleRequest(get("/v1/messages/" + id, ALICE), null));
        assertThat(read).containsEntry("status", "SENT")
                .containsEntry("audience", Map.of("list", list, "resolved", true));
        assertThat(read.get("counts")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("total", 249).containsEntry("sent", 247).containsEntry("suppressed", 2);
        String store = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ses.endpoint() + "/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(store).contains("Issue 1 for Reader 249").doesNotContain("Issue 1 for Reader 1\"", "Issue 1 for Reader 0\"");
        APIGatewayV2HTTPResponse deleted = function.handleRequest(event("api/list-messages.json", e -> {
            e.put("rawPath", "/v1/lists/" + list);
            child(child(e, "requestContext"), "http").put("method", "DELETE");
            child(child(e, "requestContext"), "http").put("path", "/v1/lists/" + list);
        }), null);
        assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(204);
        assertThat(function.handleRequest(get("/v1/lists/" + list, ALICE), null).getStatusCode()).isEqualTo(404);
    }

    @Test
    void pausingDeletesTheSchedule_resumingAtANewTimeCreatesItThere_andTheResumedMessageIsSent() throws Exception {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "ses-pause", "name", "SES",
                "transport", "ses", "from", "pause@example.com"))), null);
        APIGatewayV2HTTPResponse accepted = function.handleRequest(post("/v1/messages", Map.of("messageSystem", "ses-pause",
                "subject", "Hello {{name}}", "text", "Hi", "sendAt", "2030-03-05T09:00", "timeZone", "Europe/Vienna",
                "recipients", List.of(Map.of("email", "ann@example.com"), Map.of("email", "bob@example.com"))), ALICE), null);
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");
        String group = "herald-default";
        String name = "herald-" + taskId;
        assertThat(schedules.getSchedule(r -> r.groupName(group).name(name)).scheduleExpression()).isEqualTo("at(2030-03-05T07:59:58)");

        APIGatewayV2HTTPResponse paused = function.handleRequest(post("/v1/messages/" + id + "/pause", Map.of(), ALICE), null);

        assertThat(paused.getStatusCode()).as(paused.getBody()).isEqualTo(200);
        assertThat(body(paused)).containsEntry("status", "PAUSED");
        assertThat(schedules.listSchedules(r -> r.groupName(group)).schedules()).extracting(ScheduleSummary::name)
                .doesNotContain(name);

        APIGatewayV2HTTPResponse resumed = function.handleRequest(post("/v1/messages/" + id + "/resume",
                Map.of("sendAt", "2030-03-06T09:00", "timeZone", "Europe/Vienna"), ALICE), null);

        assertThat(resumed.getStatusCode()).as(resumed.getBody()).isEqualTo(200);
        assertThat(body(resumed)).containsEntry("status", "SCHEDULED").containsEntry("sendAt", "2030-03-06T08:00:00Z");
        assertThat(schedules.getSchedule(r -> r.groupName(group).name(name)).scheduleExpression()).isEqualTo("at(2030-03-06T07:59:58)");

        // Paused again and resumed for a few seconds from now: the schedule fires the send function, which sends it.
        function.handleRequest(post("/v1/messages/" + id + "/pause", Map.of(), ALICE), null);
        Instant soon = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        assertThat(function.handleRequest(post("/v1/messages/" + id + "/resume", Map.of("sendAt", soon.toString()), ALICE), null)
                .getStatusCode()).isEqualTo(200);
        String input = schedules.getSchedule(r -> r.groupName(group).name(name)).target().input();
        SendResult result = sendHandler.handleRequest(LambdaEvents.deserialize(input, SendEvent.class), null);
        assertThat(result.outcome()).isEqualTo("COMPLETED");
        assertThat(body(function.handleRequest(get("/v1/messages/" + id, ALICE), null))).containsEntry("status", "SENT");
    }

    @Test
    void aSendOutsideItsWindows_movesTheTasksEventBridgeScheduleToTheNextOpening_andSendsThere() {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "ses-windows", "name", "SES",
                "transport", "ses", "from", "windows@example.com"))), null);
        java.time.LocalDate inTwoDays = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2);
        Instant opening = inTwoDays.atTime(9, 0).atZone(java.time.ZoneId.of("Europe/Vienna")).toInstant();
        Instant sendAt = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        APIGatewayV2HTTPResponse accepted = function.handleRequest(post("/v1/messages", Map.of("messageSystem", "ses-windows",
                "subject", "Hi {{name}}", "text", "Hello", "sendAt", sendAt.toString(),
                "recipients", List.of(Map.of("email", "ann@example.com")),
                "sendWindows", Map.of("timeZone", "Europe/Vienna", "windows", List.of(Map.of(
                        "days", List.of(inTwoDays.getDayOfWeek().name().substring(0, 3)), "from", "09:00", "to", "17:00")))),
                ALICE), null);
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");
        String name = "herald-" + taskId;
        String input = schedules.getSchedule(r -> r.groupName("herald-default").name(name)).target().input();

        SendResult waiting = sendHandler.handleRequest(LambdaEvents.deserialize(input, SendEvent.class), null);

        assertThat(waiting.outcome()).isEqualTo("WAITING");
        assertThat(waiting.sent()).isZero();
        assertThat(schedules.getSchedule(r -> r.groupName("herald-default").name(name)).scheduleExpression())
                .isEqualTo("at(" + opening.minusSeconds(2).toString().replace("Z", "") + ")");
        Map<String, Object> read = body(function.handleRequest(get("/v1/messages/" + id, ALICE), null));
        assertThat(read).containsEntry("status", "SENDING");
        assertThat(((Map<?, ?>) ((List<?>) read.get("tasks")).get(0)).get("fireAt")).isEqualTo(opening.toString());
    }

    @Test
    void aLocalTimeMessage_isOneEventBridgeSchedulePerInstant_eachSendsItsZones_andCancelDeletesTheRest() {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "ses-local", "name", "SES",
                "transport", "ses", "from", "local@example.com"))), null);
        // A few seconds ahead in Tokyo; hours ahead in Paris (the fallback) and New York.
        java.time.LocalDateTime at = java.time.LocalDateTime.now(java.time.ZoneId.of("Asia/Tokyo")).plusSeconds(4)
                .truncatedTo(ChronoUnit.SECONDS);
        APIGatewayV2HTTPResponse accepted = function.handleRequest(post("/v1/messages", Map.of("messageSystem", "ses-local",
                "subject", "Good morning", "text", "Hi", "sendAt", at.toString(), "timeZone", "Europe/Paris", "localTime", true,
                "recipients", List.of(Map.of("email", "tokyo@example.com", "timeZone", "Asia/Tokyo"),
                        Map.of("email", "paris@example.com"),
                        Map.of("email", "ny@example.com", "timeZone", "America/New_York"))), ALICE), null);
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String id = (String) body(accepted).get("id");
        List<?> tasks = (List<?>) body(accepted).get("tasks");
        assertThat(tasks).hasSize(3);
        List<String> names = tasks.stream().map(t -> "herald-" + ((Map<?, ?>) t).get("id")).toList();
        for (int i = 0; i < 3; i++) {
            String zone = (String) ((List<?>) ((Map<?, ?>) tasks.get(i)).get("timeZones")).get(0);
            Instant instant = at.atZone(java.time.ZoneId.of(zone)).toInstant();
            String name = names.get(i);
            assertThat(schedules.getSchedule(r -> r.groupName("herald-default").name(name)).scheduleExpression())
                    .as(zone).isEqualTo("at(" + instant.minusSeconds(2).toString().replace("Z", "") + ")");
        }

        String input = schedules.getSchedule(r -> r.groupName("herald-default").name(names.get(0))).target().input();
        SendResult tokyo = sendHandler.handleRequest(LambdaEvents.deserialize(input, SendEvent.class), null);

        assertThat(tokyo.outcome()).isEqualTo("COMPLETED");
        assertThat(tokyo.sent()).isEqualTo(1);
        assertThat(body(function.handleRequest(get("/v1/messages/" + id, ALICE), null))).containsEntry("status", "SENDING");

        Map<String, Object> cancelled = body(function.handleRequest(post("/v1/messages/" + id + "/cancel", Map.of(), ALICE), null));

        assertThat(cancelled).containsEntry("status", "CANCELLED");
        assertThat(cancelled.get("counts")).asString().contains("sent=1", "cancelled=2", "pending=0");
        assertThat(schedules.listSchedules(r -> r.groupName("herald-default")).schedules()).extracting(ScheduleSummary::name)
                .doesNotContainAnyElementsOf(names.subList(1, 3));
    }

    /** The POST sample as another method, with the body given (or none). */
    private APIGatewayV2HTTPEvent request(String method, String path, Map<String, ?> body, Map<String, String> claims) {
        APIGatewayV2HTTPEvent event = post(path, body == null ? Map.of() : body, claims);
        event.getRequestContext().getHttp().setMethod(method);
        if (body == null) {
            event.setBody(null);
        }
        return event;
    }

    @Test
    void aRecurringSchedule_isOneEventBridgeRecurringScheduleInHeraldsGroup_andEachOccurrenceIsSentOnce() {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "ses-recurring", "name", "SES",
                "transport", "ses", "from", "digest@example.com"))), null);
        String list = (String) body(function.handleRequest(post("/v1/lists", Map.of("messageSystem", "ses-recurring",
                "name", "Digest"), ALICE), null)).get("id");
        function.handleRequest(post("/v1/lists/" + list + "/members", Map.of("members", List.of(
                Map.of("email", "ann@example.com", "name", "Ann"), Map.of("email", "ben@example.com", "name", "Ben"))), ALICE), null);
        Map<String, Object> schedule = new java.util.HashMap<>(Map.of("name", "Weekday digest",
                "messageSystem", "ses-recurring", "subject", "Digest for {{name}}", "text", "Hello {{name}}", "list", list,
                "expression", "cron(0 9 ? * MON-FRI *)", "timeZone", "Europe/Vienna"));
        schedule.put("start", "2030-01-01T00:00");
        schedule.put("end", "2031-01-01T00:00");

        APIGatewayV2HTTPResponse created = function.handleRequest(post("/v1/recurring-schedules", schedule, ALICE), null);

        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String id = (String) body(created).get("id");
        assertThat(body(created).get("nextOccurrences")).asList().first().isEqualTo("2030-01-01T08:00:00Z");
        String group = "herald-recurring";
        String name = "herald-recurring-" + id;
        GetScheduleResponse armed = schedules.getSchedule(r -> r.groupName(group).name(name));
        assertThat(armed.scheduleExpression()).isEqualTo("cron(0 9 ? * MON-FRI *)");
        assertThat(armed.scheduleExpressionTimezone()).isEqualTo("Europe/Vienna");
        assertThat(armed.startDate()).isEqualTo(Instant.parse("2029-12-31T23:00:00Z"));
        assertThat(armed.endDate()).isEqualTo(Instant.parse("2030-12-31T23:00:00Z"));
        assertThat(armed.stateAsString()).isEqualTo("ENABLED");
        assertThat(armed.target().arn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live");
        assertThat(armed.target().roleArn()).isEqualTo("arn:aws:iam::123456789012:role/herald-scheduler");
        assertThat(function.handleRequest(post("/v1/recurring-schedules/" + id + "/pause", Map.of(), ALICE), null)
                .getStatusCode()).isEqualTo(200);
        assertThat(schedules.getSchedule(r -> r.groupName(group).name(name)).stateAsString()).isEqualTo("DISABLED");
        function.handleRequest(post("/v1/recurring-schedules/" + id + "/resume", Map.of(), ALICE), null);
        assertThat(schedules.getSchedule(r -> r.groupName(group).name(name)).stateAsString()).isEqualTo("ENABLED");

        // EventBridge puts the occurrence's time in for the placeholder; a second delivery of it creates nothing.
        String input = armed.target().input().replace("<aws.scheduler.scheduled-time>", "2030-01-07T08:00:00Z");
        SendResult occurred = sendHandler.handleRequest(LambdaEvents.deserialize(input, SendEvent.class), null);
        SendResult again = sendHandler.handleRequest(LambdaEvents.deserialize(input, SendEvent.class), null);

        assertThat(occurred.outcome()).isEqualTo("OCCURRED");
        assertThat(again.messageId()).isEqualTo(occurred.messageId());
        Map<String, Object> message = body(function.handleRequest(get("/v1/messages/" + occurred.messageId(), ALICE), null));
        String taskId = (String) ((Map<?, ?>) ((List<?>) message.get("tasks")).get(0)).get("id");
        SendResult sent = sendHandler.handleRequest(LambdaEvents.deserialize(
                "{\"taskId\":\"" + taskId + "\",\"trigger\":\"IMMEDIATE\"}", SendEvent.class), null);
        assertThat(sent.sent()).isEqualTo(2);
        Map<?, ?> history = (Map<?, ?>) ((List<?>) body(function.handleRequest(get("/v1/recurring-schedules/" + id
                + "/occurrences", ALICE), null)).get("items")).get(0);
        assertThat(List.of(history.get("at"), history.get("message"), history.get("status")))
                .containsExactly("2030-01-07T08:00:00Z", occurred.messageId(), "SENT");

        schedule.put("expression", "rate(6 hours)");
        APIGatewayV2HTTPResponse updated = function.handleRequest(request("PUT", "/v1/recurring-schedules/" + id, schedule,
                ALICE), null);
        assertThat(updated.getStatusCode()).as(updated.getBody()).isEqualTo(200);
        assertThat(schedules.getSchedule(r -> r.groupName(group).name(name)).scheduleExpression()).isEqualTo("rate(6 hours)");
        assertThat(function.handleRequest(request("DELETE", "/v1/recurring-schedules/" + id, null, ALICE), null)
                .getStatusCode()).isEqualTo(204);
        assertThat(schedules.listSchedules(r -> r.groupName(group)).schedules()).extracting(ScheduleSummary::name)
                .doesNotContain(name);
    }

    /** The sample one-click request, aimed at this token. */
    private static void replaceToken(Map<String, Object> event, String token) {
        String path = "/v1/unsubscribe/" + token;
        event.put("rawPath", path);
        child(child(event, "requestContext"), "http").put("path", path);
        child(event, "pathParameters").put("token", token);
    }

    /** The URL in the List-Unsubscribe header of the mail the SES emulator holds for {@code address}. */
    @SuppressWarnings("unchecked")
    private String unsubscribeLinkAtSes(String store, String address) {
        for (Map<String, Object> email : (List<Map<String, Object>>) json.read(store, Map.class).get("emails")) {
            if (((List<String>) child(email, "destination").get("to")).contains(address)) {
                for (Map<String, String> header : (List<Map<String, String>>) email.get("headers")) {
                    if (header.get("name").equals("List-Unsubscribe")) {
                        String value = header.get("value");
                        return value.substring(1, value.length() - 1);
                    }
                }
            }
        }
        throw new AssertionError("no List-Unsubscribe header for " + address);
    }

    @Test
    void aJobAccountPassword_isEncryptedWithKmsUnderItsSystemsContext_andNeverStoredOrShownInTheClear() {
        function.handleRequest(event("api/create-message-system.json", withBody(Map.of("id", "kms-relay", "name", "Relay",
                "transport", "ses", "from", "news@example.com"))), null);
        APIGatewayV2HTTPResponse set = function.handleRequest(event("api/create-message-system.json", e -> {
            e.put("rawPath", "/v1/message-systems/kms-relay/job-account");
            Map<String, Object> http = child(child(e, "requestContext"), "http");
            http.put("method", "PUT");
            http.put("path", "/v1/message-systems/kms-relay/job-account");
            e.put("body", json.write(Map.of("name", "AKIDRELAY", "password", "s3cret-relay-password")));
        }), null);
        assertThat(set.getStatusCode()).as(set.getBody()).isEqualTo(204);

        Map<String, Object> shown = body(function.handleRequest(get("/v1/message-systems/kms-relay", ADMIN), null));
        assertThat(json.write(shown)).doesNotContain("s3cret").contains("\"passwordSet\":true");
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint());
             KmsClient kms = AwsClients.kms(moto.endpoint())) {
            String stored = dynamo.scan(r -> r.tableName(TABLE)).items().toString();
            assertThat(stored).contains("AKIDRELAY").doesNotContain("s3cret");
            byte[] sealed = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC()).findMessageSystem("kms-relay").orElseThrow()
                    .jobAccount().encryptedPassword();
            assertThat(kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(sealed))
                    .encryptionContext(JobAccounts.context("kms-relay"))).plaintext().asUtf8String())
                    .isEqualTo("s3cret-relay-password");
        }
    }

    @Test
    void priming_runsRequestsThroughTheWholeStack_andChangesNothing() {
        List<ScheduleSummary> schedulesBefore = schedules.listSchedules(r -> { }).schedules();
        int itemsBefore = items();

        assertThat(function.prime()).as("health, then a sender's read of a missing message").containsExactly(200, 404);

        assertThat(items()).isEqualTo(itemsBefore);
        assertThat(schedules.listSchedules(r -> { }).schedules()).isEqualTo(schedulesBefore);
    }

    private static int items() {
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint())) {
            return dynamo.scan(r -> r.tableName(TABLE)).count();
        }
    }

    @Test
    void invocationsLeaveNoBeanBehind_soThatAWarmFunctionDoesNotSlowDownCallAfterCall() {
        function.handleRequest(get("/v1/health", null), new FakeLambdaContext("warm-0", 29_000));
        int beans = context.getAllBeanDefinitions().size();

        for (int call = 1; call <= 50; call++) {
            assertThat(function.handleRequest(get("/v1/health", null), new FakeLambdaContext("warm-" + call, 29_000))
                    .getStatusCode()).isEqualTo(200);
        }

        assertThat(context.getAllBeanDefinitions()).hasSize(beans);
    }

    @Test
    void withoutJwtClaims_everyRequestIs401_problemJson() {
        APIGatewayV2HTTPResponse response = function.handleRequest(event("api/without-claims.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
        assertThat(function.handleRequest(get("/v1/health", null), null).getStatusCode()).isEqualTo(200);
    }
}
