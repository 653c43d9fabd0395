package dev.herald.lambdaruntime;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.SesTransports;
import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.ListState;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.storage.Documents;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.RecordingScheduler;
import dev.herald.core.testing.ReversingCipher;
import dev.herald.testkit.AwsCallRecorder;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.FunctionProcess;
import dev.herald.testkit.HeraldTable;
import dev.herald.testkit.LambdaEvents;
import dev.herald.testkit.LambdaRuntimeApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Each function jar started as Lambda starts a Java function: AWS's runtime interface client, with
 * the serializer of its own choosing, polls a Runtime API the test serves and hands the sample
 * events of {@code infra/events} to the handler. DynamoDB on dynalite, SES on aws-ses-v2-local,
 * EventBridge Scheduler and KMS on moto. One function process at a time.
 */
class RuntimeInterfaceClientTest {

    private static final Path CLIENT = Path.of(System.getProperty("herald.runtime-interface-client.directory"));
    private static final Path FUNCTIONS = Path.of("").toAbsolutePath().getParent();
    private static final String TABLE = "herald-ric";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(90);
    private static final Set<String> LAMBDA_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    private static Emulator dynalite;
    private static Emulator ses;
    private static Emulator moto;
    private static DynamoDbClient dynamo;
    private static String kmsKey;
    /** The DynamoDB calls of each function, held to its role's grants. */
    private static AwsCallRecorder apiTableCalls;
    private static AwsCallRecorder sendTableCalls;
    private static AwsCallRecorder feedbackTableCalls;
    private static String unsubscribeSecret;
    private final Documents json = new Documents();

    @TempDir
    Path work;

    @BeforeAll
    static void startEmulators() throws Exception {
        dynalite = Emulator.dynalite();
        ses = Emulator.sesV2Local();
        moto = Emulator.moto();
        dynamo = AwsClients.dynamoDb(dynalite.endpoint());
        HeraldTable.create(dynamo, TABLE, DynamoDbStore.INDEXES);
        kmsKey = AwsClients.kms(moto.endpoint()).createKey(r -> r.description("herald")).keyMetadata().keyId();
        unsubscribeSecret = AwsClients.createUnsubscribeSecret(moto.endpoint(), "herald-test-unsubscribe-link-key");
        apiTableCalls = AwsCallRecorder.start(dynalite.endpoint(), "dynamodb");
        sendTableCalls = AwsCallRecorder.start(dynalite.endpoint(), "dynamodb");
        feedbackTableCalls = AwsCallRecorder.start(dynalite.endpoint(), "dynamodb");
    }

    @AfterAll
    static void stopEmulators() throws Exception {
        apiTableCalls.close();
        sendTableCalls.close();
        feedbackTableCalls.close();
        dynamo.close();
        moto.close();
        ses.close();
        dynalite.close();
    }

    /**
     * The environment template.yaml gives every function (the table), pointed at the emulators (DynamoDB through
     * the function's recorder of table calls), and {@code own}.
     */
    private static Map<String, String> functionVariables(AwsCallRecorder tableCalls, Map<String, String> own) {
        Map<String, String> variables = new HashMap<>(Map.of(
                "HERALD_TABLE", TABLE,
                "HERALD_AWS_REGION", "eu-west-1",
                "HERALD_AWS_ENDPOINT", moto.endpoint(),
                "HERALD_AWS_DYNAMODB_ENDPOINT", tableCalls.endpoint(),
                "HERALD_AWS_SES_ENDPOINT", ses.endpoint()));
        variables.putAll(own);
        return variables;
    }

    /** What template.yaml gives the API and the send function both, and {@code own}. */
    private static Map<String, String> sharedVariables(AwsCallRecorder tableCalls, Map<String, String> own) {
        Map<String, String> variables = new HashMap<>(Map.of(
                "HERALD_KMS_KEY_ID", kmsKey,
                "HERALD_UNSUBSCRIBE_SECRET_ARN", unsubscribeSecret,
                "HERALD_SEND_FUNCTION_ARN", "arn:aws:lambda:eu-west-1:123456789012:function:herald-test-send:live"));
        variables.putAll(own);
        return functionVariables(tableCalls, variables);
    }

    /** The DynamoDB actions template.yaml grants the role on the table (its statement {@code Table}). */
    private static Set<String> tableActions(String role) throws IOException {
        String template = Files.readString(FUNCTIONS.getParent().resolve("template.yaml"));
        int at = template.indexOf("\n  " + role + ":\n");
        Matcher actions = Pattern.compile("Sid: Table\\s+Effect: Allow\\s+Action: \\[([^]]+)]").matcher(template);
        assertThat(at).as(role + " in template.yaml").isNotNegative();
        assertThat(actions.find(at)).as("the table statement of " + role).isTrue();
        return Set.copyOf(Stream.of(actions.group(1).split(",")).map(String::strip).toList());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String text) {
        return json.read(text, Map.class);
    }

    @Test
    void theClient_runsWithExactlyTheLibrariesItsOwnPomNames() throws IOException {
        Path client;
        try (Stream<Path> jars = Files.list(CLIENT)) {
            client = jars.filter(j -> j.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client-")).findFirst().orElseThrow();
        }
        String pom;
        try (ZipFile zip = new ZipFile(client.toFile())) {
            pom = new String(zip.getInputStream(zip.getEntry(
                    "META-INF/maven/com.amazonaws/aws-lambda-java-runtime-interface-client/pom.xml")).readAllBytes());
        }
        String dependencies = pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
        Matcher dependency = Pattern.compile("<dependency>\\s*<groupId>[^<]+</groupId>\\s*<artifactId>([^<]+)</artifactId>"
                + "\\s*<version>([^<]+)</version>\\s*(<scope>([^<]+)</scope>)?").matcher(dependencies);
        List<String> named = new java.util.ArrayList<>();
        while (dependency.find()) {
            if (dependency.group(4) == null || dependency.group(4).equals("compile") || dependency.group(4).equals("runtime")) {
                named.add(dependency.group(1) + "-" + dependency.group(2) + ".jar");
            }
        }

        try (Stream<Path> jars = Files.list(CLIENT)) {
            assertThat(jars.map(j -> j.getFileName().toString())).containsAll(named);
        }
        assertThat(named).contains("aws-lambda-java-serialization-1.2.0.jar");
    }

    @Test
    void theApiFunction_answersTheSampleEvents() throws Exception {
        try (LambdaRuntimeApi runtime = LambdaRuntimeApi.start();
             FunctionProcess function = FunctionProcess.start(FUNCTIONS.resolve("api/target/herald-api.jar"),
                     "dev.herald.api.ApiHandler", "herald-test-api", runtime.address(), sharedVariables(apiTableCalls, Map.of(
                             "HERALD_SCHEDULER_ROLE_ARN", "arn:aws:iam::123456789012:role/herald-scheduler",
                             "HERALD_SCHEDULE_GROUP_PREFIX", "herald-ric-")), CLIENT, work)) {
            Map<String, Object> created = object(runtime.invoke(LambdaEvents.fixture("api/create-message-system.json"), INVOCATION_TIMEOUT));
            Map<String, Object> accepted = object(runtime.invoke(LambdaEvents.fixture("api/schedule-message.json"), INVOCATION_TIMEOUT));
            Map<String, Object> listed = object(runtime.invoke(LambdaEvents.fixture("api/list-messages.json"), INVOCATION_TIMEOUT));
            Map<String, Object> refused = object(runtime.invoke(LambdaEvents.fixture("api/without-claims.json"), INVOCATION_TIMEOUT));
            Map<String, Object> list = object((String) object(runtime.invoke(apiEvent("POST", "/v1/lists",
                    Map.of("messageSystem", "newsletters", "name", "Readers")), INVOCATION_TIMEOUT)).get("body"));
            Map<String, Object> members = object(runtime.invoke(apiEvent("POST", "/v1/lists/" + list.get("id") + "/members",
                    Map.of("members", List.of(Map.of("email", "ann@example.com"), Map.of("email", "bob@example.com")))),
                    INVOCATION_TIMEOUT));
            Map<String, Object> removed = object(runtime.invoke(apiEvent("POST", "/v1/lists/" + list.get("id")
                    + "/members/remove", Map.of("addresses", List.of("bob@example.com"))), INVOCATION_TIMEOUT));
            Map<String, Object> deleted = object(runtime.invoke(apiEvent("DELETE", "/v1/lists/" + list.get("id"), null),
                    INVOCATION_TIMEOUT));

            assertThat(created.get("statusCode")).as(function.errors()).isEqualTo(201);
            assertThat(accepted.get("statusCode")).as(String.valueOf(accepted.get("body"))).isEqualTo(202);
            Map<String, Object> message = object((String) accepted.get("body"));
            String taskId = (String) ((Map<?, ?>) ((List<?>) message.get("tasks")).get(0)).get("id");
            try (SchedulerClient scheduler = AwsClients.scheduler(moto.endpoint())) {
                // 09:00 in Paris on 7 January 2030, a minute early (the arming lead).
                assertThat(scheduler.getSchedule(r -> r.groupName("herald-ric-newsletters").name("herald-" + taskId))
                        .scheduleExpression()).isEqualTo("at(2030-01-07T07:59:00)");
            }
            assertThat(listed.get("statusCode")).isEqualTo(200);
            assertThat((String) listed.get("body")).contains((String) message.get("id"));
            assertThat(refused.get("statusCode")).isEqualTo(401);
            assertThat(String.valueOf(refused.get("headers"))).contains("application/problem+json");
            assertThat(object((String) members.get("body"))).containsEntry("added", 2);
            assertThat(object((String) removed.get("body"))).containsEntry("removed", 1);
            assertThat(deleted.get("statusCode")).isEqualTo(204);
            assertThat(function.output()).isNotEmpty().allSatisfy(this::assertLambdaReadsTheLevelAndTimestamp);
        }
        assertThat(apiTableCalls.actions()).as("the API role grants every table call the API function makes")
                .isNotEmpty().isSubsetOf(tableActions("ApiRole"));
    }

    /** The schedule-message sample made a {@code method} of {@code path} with {@code body}, by the same sender. */
    @SuppressWarnings("unchecked")
    private String apiEvent(String method, String path, Object body) {
        Map<String, Object> event = object(LambdaEvents.fixture("api/schedule-message.json"));
        event.put("rawPath", path);
        Map<String, Object> http = (Map<String, Object>) ((Map<String, Object>) event.get("requestContext")).get("http");
        http.put("method", method);
        http.put("path", path);
        if (body == null) {
            event.remove("body");
        } else {
            event.put("body", json.write(body));
        }
        return json.write(event);
    }

    @Test
    void theSendFunction_deliversAScheduledMessageToSes_andItsMetricsLineSurvivesAnApplicationLogLevelOfWarn() throws Exception {
        Instant sendAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        String taskId = scheduleThroughTheCore(sendAt);
        // As EventBridge fires the schedule: a minute (the arming lead) before the instant.
        String event = LambdaEvents.fixture("send/scheduled.json").replace("REPLACE-WITH-A-TASK-ID", taskId)
                .replace("2030-01-07T08:00:00Z", sendAt.minus(Duration.ofMinutes(1)).toString());

        try (LambdaRuntimeApi runtime = LambdaRuntimeApi.start();
             FunctionProcess function = FunctionProcess.start(FUNCTIONS.resolve("send/target/herald-send.jar"),
                     "dev.herald.send.SendHandler", "herald-test-send", runtime.address(), sharedVariables(sendTableCalls, Map.of(
                             "HERALD_METRICS_NAMESPACE", "Herald/ric", "AWS_LAMBDA_LOG_LEVEL", "WARN",
                             "HERALD_PUBLIC_URL", "https://mail.example.com")), CLIENT, work)) {
            Map<String, Object> result = object(runtime.invoke(event, INVOCATION_TIMEOUT));
            // A list whose deletion no request finished: the reconciling rule's sweep finishes it.
            DynamoDbStore table = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
            AudienceList abandoned = new AudienceList("ric-abandoned", "alice", "ric", "Abandoned", ListState.DELETING, 0,
                    Instant.now(), Instant.now(), 0);
            table.insertList(abandoned);
            table.putMembers(abandoned.id(), List.of(new ListMember("gone@example.com", null, null, null)));
            Map<String, Object> reconciled = object(runtime.invoke(LambdaEvents.fixture("send/reconcile.json"), INVOCATION_TIMEOUT));

            assertThat(result).as(function.errors()).containsEntry("outcome", "COMPLETED").containsEntry("sent", 2);
            assertThat(reconciled).containsEntry("outcome", "RECONCILED");
            assertThat(table.findList(abandoned.id())).isEmpty();
            assertThat(Instant.now()).as("the function waited for the instant").isAfterOrEqualTo(sendAt);
            assertThat(mailAtSes()).contains("Order RIC-0 for Ann", "Order RIC-1 for Bob");
            DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
            assertThat(store.findMessage(store.findTask(taskId).orElseThrow().messageId()).orElseThrow().status())
                    .isEqualTo(MessageStatus.SENT);
            List<String> output = function.output();
            assertThat(output).allSatisfy(this::assertLambdaReadsTheLevelAndTimestamp);
            assertThat(output).map(this::object).as("nothing below WARN is printed")
                    .allSatisfy(line -> assertThat(line.get("level")).isIn("WARN", "ERROR", "FATAL"));
            assertThat(output).map(this::object).filteredOn(line -> line.containsKey("_aws")).singleElement()
                    .satisfies(metrics -> assertThat(metrics).containsEntry("level", "WARN").containsEntry("RecipientsSent", 2.0));
        }

        // SES reports Bob's mail delivered: EventBridge hands the event to the feedback function.
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        var bob = store.findChunk(messageId, 0).orElseThrow().recipients().get(1);
        String delivered = LambdaEvents.fixture("ses/delivery.json")
                .replace("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000", bob.outcome().providerMessageId())
                .replace("recipient@example.com", bob.email()).replace("REPLACE-WITH-A-MESSAGE-ID", messageId);
        try (LambdaRuntimeApi runtime = LambdaRuntimeApi.start();
             FunctionProcess function = FunctionProcess.start(FUNCTIONS.resolve("send/target/herald-send.jar"),
                     "dev.herald.send.FeedbackHandler", "herald-test-feedback", runtime.address(),
                     functionVariables(feedbackTableCalls, Map.of()), CLIENT, work)) {
            assertThat(object(runtime.invoke(delivered, INVOCATION_TIMEOUT))).as(function.errors())
                    .isEqualTo(Map.of("recorded", "APPLIED"));
        }
        assertThat(store.feedbackCounts(messageId).delivered()).isEqualTo(1);
        assertThat(sendTableCalls.actions()).as("the send role grants every table call the send function makes")
                .isNotEmpty().isSubsetOf(tableActions("SendRole"));
        assertThat(feedbackTableCalls.actions()).as("the feedback role grants every table call the feedback function makes")
                .isNotEmpty().isSubsetOf(tableActions("FeedbackRole"));
    }

    /** What Lambda's log-level filtering needs to read a line's level: JSON, a known level, an RFC 3339 timestamp. */
    private void assertLambdaReadsTheLevelAndTimestamp(String line) {
        Map<String, Object> object = object(line);
        assertThat(object.get("level")).as(line).isIn(LAMBDA_LEVELS.toArray());
        assertThatCode(() -> OffsetDateTime.parse((String) object.get("timestamp"), DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .as(line).doesNotThrowAnyException();
    }

    /** A two-recipient message for an SES system, stored as the API function stores it; its task id. */
    private static String scheduleThroughTheCore(Instant sendAt) {
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        SesTransports transports = new SesTransports(SesV2Client.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create(ses.endpoint())).httpClient(UrlConnectionHttpClient.create()).build(),
                UrlConnectionHttpClient.create(), URI.create(ses.endpoint()));
        new MessageSystemService(store, new ReversingCipher(), transports, Clock.systemUTC()).createIfAbsent(
                new MessageSystemSpec("ric", "SES", true, "ses", "news@example.com", "News", null, 50.0, null, null, null, null));
        RecordingScheduler scheduler = new RecordingScheduler();
        new ScheduleService(store, scheduler, new MessageViews(store), transports, new TemplateRenderer(), SchedulingLimits.defaults(),
                Clock.systemUTC(), Ids.random()).schedule(new Caller("alice", Role.SENDER), new ScheduleRequest("ric",
                "Order {{order}} for {{name}}", "Hello {{name}}", null, List.of(
                        new RecipientInput("ann@example.com", "Ann", Map.of("order", "RIC-0")),
                        new RecipientInput("bob@example.com", "Bob", Map.of("order", "RIC-1"))),
                sendAt.toString(), null, null, null), null, null);
        return scheduler.armed.get(0).id();
    }

    private static String mailAtSes() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ses.endpoint() + "/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
