package dev.herald.send;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.SecretKeyCipher;
import dev.herald.aws.SesTransports;
import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.dispatch.DispatchResult;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
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
import dev.herald.core.unsubscribe.UnsubscribeTarget;
import dev.herald.core.unsubscribe.UnsubscribeTokens;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.FakeLambdaContext;
import dev.herald.testkit.HeraldTable;
import dev.herald.testkit.LambdaEvents;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The send function, event in and result out, over DynamoDB on dynalite and SES on aws-ses-v2-local. */
class SendHandlerTest {

    private static final String TABLE = "herald-send-test";
    private static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live";
    private static Emulator dynalite;
    private static Emulator ses;
    private static Emulator moto;
    private static String secretArn;
    private static DynamoDbClient dynamo;
    private static SendHandler handler;
    private static FeedbackHandler feedback;

    @RegisterExtension
    static final WireMockExtension LAMBDA = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test");
        dynalite = Emulator.dynalite();
        ses = Emulator.sesV2Local();
        moto = Emulator.moto();
        secretArn = AwsClients.createUnsubscribeSecret(moto.endpoint(), "herald-test-unsubscribe-link-key");
        dynamo = AwsClients.dynamoDb(dynalite.endpoint());
        HeraldTable.create(dynamo, TABLE, DynamoDbStore.INDEXES);
        handler = new SendHandler(ApplicationContext.builder().properties(sendFunctionSettings(Map.of())));
        feedback = new FeedbackHandler(ApplicationContext.builder().properties(Map.of(
                "herald.table", TABLE,
                "herald.aws.region", "eu-west-1",
                "herald.aws.dynamodb-endpoint", dynalite.endpoint())));
    }

    @AfterAll
    static void stop() throws Exception {
        handler.close();
        feedback.close();
        dynamo.close();
        ses.close();
        moto.close();
        dynalite.close();
    }

    /** A message stored as the API function would store it for immediate sending; its task id. */
    private static String scheduleImmediately(String systemId, int recipients, int chunkSize) {
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        SesTransports sesTransports = new SesTransports(SesV2Client.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create(ses.endpoint())).httpClient(UrlConnectionHttpClient.create()).build(),
                UrlConnectionHttpClient.create(), URI.create(ses.endpoint()));
        new MessageSystemService(store, new ReversingCipher(), sesTransports, Clock.systemUTC()).createIfAbsent(
                new MessageSystemSpec(systemId, "SES", true, "ses", "news@example.com", "News", null, 50.0, null, null, null, null));
        RecordingScheduler scheduler = new RecordingScheduler();
        ScheduleService schedule = new ScheduleService(store, scheduler, new MessageViews(store), sesTransports, new TemplateRenderer(),
                SchedulingLimits.defaults().withChunkSize(chunkSize), Clock.systemUTC(), Ids.random());
        List<RecipientInput> inputs = IntStream.range(0, recipients).mapToObj(i -> new RecipientInput(
                systemId + "-" + i + "@example.com", "R" + i, Map.of("order", systemId.toUpperCase() + "-" + i))).toList();
        schedule.schedule(new Caller("alice", Role.SENDER), new ScheduleRequest(systemId, "Order {{order}} for {{name}}",
                "Hello {{name}}", null, inputs, null, null, null, null), null, null);
        return scheduler.firedNow.get(0).id();
    }

    /** A sample event from {@code infra/events/send} for this task, as the Lambda runtime hands it over. */
    private static SendEvent sample(String fixture, String taskId) {
        return LambdaEvents.deserialize(LambdaEvents.fixture(fixture).replace("REPLACE-WITH-A-TASK-ID", taskId), SendEvent.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> emailsAtSes() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ses.endpoint() + "/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (List<Map<String, Object>>) new Documents().read(body, Map.class).get("emails");
    }

    private static List<String> subjectsAtSes() throws Exception {
        return emailsAtSes().stream().map(e -> (String) e.get("subject")).toList();
    }

    @Test
    void anInvocation_sendsTheTaskThroughSes_andADuplicateSendsNothing() throws Exception {
        String taskId = scheduleImmediately("once", 3, 100);

        List<String> output = new ArrayList<>();
        SendResult first = capturingStdout(output, () -> handler.handleRequest(sample("send/continuation.json", taskId),
                new FakeLambdaContext("request-1", 300_000)));
        SendResult duplicate = handler.handleRequest(sample("send/scheduled.json", taskId), new FakeLambdaContext("request-1", 300_000));

        assertThat(first.outcome()).isEqualTo("COMPLETED");
        assertThat(first.sent()).isEqualTo(3);
        assertThat(duplicate.outcome()).isEqualTo("DUPLICATE");
        assertThat(subjectsAtSes()).contains("Order ONCE-0 for R0", "Order ONCE-1 for R1", "Order ONCE-2 for R2")
                .filteredOn(subject -> subject.contains("ONCE-")).hasSize(3);
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        assertThat(store.findMessage(messageId).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        assertThat(store.listRuns(messageId)).hasSize(1);
        assertThat(output).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        List<Map<String, Object>> lines = output.stream().map(SendHandlerTest::jsonObject).toList();
        // What Lambda's log-level filtering reads: a line without both counts as INFO.
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.get("level")).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
            assertThatCode(() -> OffsetDateTime.parse((String) line.get("timestamp"), DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                    .as("an RFC 3339 timestamp").doesNotThrowAnyException();
        });
        assertThat(lines).filteredOn(line -> "dev.herald.core.dispatch.ActiveRun".equals(line.get("loggerName")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(jsonObject(new Documents().write(line.get("mdc")))).containsEntry("taskId", taskId)
                        .containsEntry("messageId", messageId).containsEntry("runId", first.runId())
                        .containsEntry("AWSRequestId", "request-1"));
        assertThat(lines).filteredOn(line -> line.containsKey("_aws")).singleElement()
                .satisfies(emf -> assertThat(emf).containsEntry("RecipientsSent", 3.0).containsEntry("runId", first.runId())
                        .containsEntry("MessageSystem", "once").containsKey("Lateness"));
    }

    @Test
    void aSuppressedAddress_isNotSentThroughSes_andIsRecordedSuppressed() throws Exception {
        String taskId = scheduleImmediately("spared", 150, 100); // two chunks: two batched lookups on DynamoDB
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        store.addSuppressions(List.of(
                new Suppression("spared", "spared-1@example.com", SuppressionReason.BOUNCED, Instant.now(), "earlier"),
                new Suppression("spared", "spared-120@example.com", SuppressionReason.COMPLAINED, Instant.now(), "earlier")));

        SendResult result = handler.handleRequest(sample("send/scheduled.json", taskId), new FakeLambdaContext("request-9", 300_000));

        assertThat(result.sent()).isEqualTo(148);
        assertThat(subjectsAtSes()).filteredOn(subject -> subject.contains("SPARED-")).hasSize(148)
                .doesNotContain("Order SPARED-1 for R1", "Order SPARED-120 for R120");
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        Message message = store.findMessage(messageId).orElseThrow();
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().suppressed()).isEqualTo(2);
        assertThat(store.listChunks(messageId).stream().flatMap(c -> c.recipients().stream())
                .filter(r -> r.state() == RecipientState.SUPPRESSED).map(r -> r.email()))
                .containsExactly("spared-1@example.com", "spared-120@example.com");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyMailThroughSes_carriesItsRecipientsOwnOneClickLink_sealedUnderTheStacksSecret() throws Exception {
        String taskId = scheduleImmediately("linked", 60, 100); // two SendBulkEmail calls of 50 and 10

        handler.handleRequest(sample("send/scheduled.json", taskId), new FakeLambdaContext("request-7", 300_000));

        String messageId = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC()).findTask(taskId).orElseThrow().messageId();
        UnsubscribeTokens tokens = new UnsubscribeTokens(new SecretKeyCipher(AwsClients.secretsManager(moto.endpoint()), secretArn));
        List<Map<String, Object>> mails = emailsAtSes().stream()
                .filter(e -> ((String) e.get("subject")).contains("LINKED-")).toList();
        assertThat(mails).hasSize(60);
        for (Map<String, Object> mail : mails) {
            Map<String, String> headers = new java.util.HashMap<>();
            ((List<Map<String, String>>) mail.get("headers")).forEach(h -> headers.put(h.get("name"), h.get("value")));
            assertThat(headers).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                    .containsEntry("List-Id", "\"SES\" <linked.example.com>");
            String link = headers.get("List-Unsubscribe");
            assertThat(link).startsWith("<https://mail.example.com/v1/unsubscribe/");
            String token = link.substring(link.lastIndexOf('/') + 1, link.length() - 1);
            assertThat(tokens.open(token)).contains(new UnsubscribeTarget("linked",
                    destination(mail), messageId));
        }
    }

    /** A sample SES event from {@code infra/events/ses}, as EventBridge hands it to the feedback function, for one recipient. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> sesEvent(String fixture, String messageId, Recipient recipient) {
        String event = LambdaEvents.fixture("ses/" + fixture)
                .replace("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000", recipient.outcome().providerMessageId())
                .replace("recipient@example.com", recipient.email())
                .replace("REPLACE-WITH-A-MESSAGE-SYSTEM-ID", "fed").replace("REPLACE-WITH-A-MESSAGE-ID", messageId);
        return LambdaEvents.deserialize(event, Map.class);
    }

    @Test
    void theFeedbackFunction_recordsWhatSesReports_suppressingBouncesAndComplaints_withCorrectCounts() throws Exception {
        String taskId = scheduleImmediately("fed", 4, 100);
        handler.handleRequest(sample("send/scheduled.json", taskId), new FakeLambdaContext("request-11", 300_000));
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        List<Recipient> sent = store.findChunk(messageId, 0).orElseThrow().recipients();
        assertThat(sent).allSatisfy(r -> assertThat(r.outcome().providerMessageId()).isNotBlank());

        assertThat(feedback.handleRequest(sesEvent("delivery.json", messageId, sent.get(0)), null).recorded()).isEqualTo("APPLIED");
        assertThat(feedback.handleRequest(sesEvent("bounce.json", messageId, sent.get(1)), null).recorded()).isEqualTo("APPLIED");
        assertThat(feedback.handleRequest(sesEvent("complaint.json", messageId, sent.get(2)), null).recorded()).isEqualTo("APPLIED");
        assertThat(feedback.handleRequest(sesEvent("delivery.json", messageId, sent.get(2)), null).recorded()).isEqualTo("APPLIED");
        assertThat(feedback.handleRequest(sesEvent("bounce.json", messageId, sent.get(1)), null).recorded()).isEqualTo("DUPLICATE");
        assertThat(feedback.handleRequest(sesEvent("delivery-delay.json", messageId, sent.get(3)), null).recorded()).isEqualTo("APPLIED");

        List<Recipient> recorded = store.findChunk(messageId, 0).orElseThrow().recipients();
        assertThat(recorded).extracting(Recipient::state).containsExactly(RecipientState.DELIVERED, RecipientState.BOUNCED,
                RecipientState.COMPLAINED, RecipientState.SENT);
        assertThat(recorded.get(3).feedback()).singleElement().satisfies(f -> assertThat(f.detail())
                .isEqualTo("Delayed: TransientCommunicationFailure 4.4.1"));
        Message message = store.findMessage(messageId).orElseThrow();
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().sent()).isEqualTo(4);
        Counts reported = store.feedbackCounts(messageId);
        assertThat(reported.delivered()).isEqualTo(1);
        assertThat(reported.bounced()).isEqualTo(1);
        assertThat(reported.complained()).isEqualTo(1);
        assertThat(store.findSuppressions("fed", List.of("fed-1@example.com", "fed-2@example.com")))
                .extractingFromEntries(e -> e.getValue().reason())
                .containsExactlyInAnyOrder(SuppressionReason.BOUNCED, SuppressionReason.COMPLAINED);

        List<String> output = new ArrayList<>();
        Map<String, Object> unreadable = sesEvent("bounce.json", messageId, sent.get(0));
        ((Map<String, Object>) unreadable.get("detail")).remove("bounce");
        assertThatCode(() -> capturingStdout(output, () -> feedback.handleRequest(unreadable, null)))
                .isInstanceOf(dev.herald.core.feedback.UnreadableReportException.class);
        assertThat(output).anySatisfy(line -> assertThat(line).contains("Unreadable SES event a1b2c3d4-0001"))
                .noneSatisfy(line -> assertThat(line).contains("fed-0@example.com"));
    }

    @SuppressWarnings("unchecked")
    private static String destination(Map<String, Object> mail) {
        return ((List<String>) ((Map<String, Object>) mail.get("destination")).get("to")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(String json) {
        return new Documents().read(json, Map.class);
    }

    @Test
    void theReconcilingRule_firesATaskWhoseRunDied_andOnlyThat() throws Exception {
        LAMBDA.stubFor(post(urlPathMatching("/2015-03-31/functions/.*/invocations")).willReturn(aResponse().withStatus(202)));
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String deadTaskId = scheduleImmediately("dead", 2, 100);
        Task dead = store.findTask(deadTaskId).orElseThrow();
        // As a crashed run leaves it: claimed, its lease run out.
        store.updateTask(dead.withState(TaskState.RUNNING, "crashed-run", Instant.now().minusSeconds(5), Instant.now())).orElseThrow();
        int invokesBefore = LAMBDA.findAll(postRequestedFor(urlPathMatching("/2015-03-31/functions/.*/invocations"))).size();

        SendResult result = handler.handleRequest(LambdaEvents.deserialize(LambdaEvents.fixture("send/reconcile.json"),
                SendEvent.class), new FakeLambdaContext("request-3", 60_000));

        assertThat(result.outcome()).isEqualTo("RECONCILED");
        assertThat(result.tasksFired()).isEqualTo(1);
        List<LoggedRequest> invokes = LAMBDA.findAll(postRequestedFor(urlPathMatching("/2015-03-31/functions/.*/invocations")));
        assertThat(invokes).hasSize(invokesBefore + 1);
        SendEvent fired = LambdaEvents.deserialize(invokes.get(invokes.size() - 1).getBodyAsString(), SendEvent.class);
        assertThat(fired.taskId()).isEqualTo(deadTaskId);
        SendResult resumed = handler.handleRequest(fired, new FakeLambdaContext("request-4", 300_000));
        assertThat(resumed.outcome()).isEqualTo("COMPLETED");
        assertThat(resumed.sent()).isEqualTo(2);
        assertThat(store.findTask(deadTaskId).orElseThrow().state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void invocationsLeaveNoBeanBehind_soThatAWarmFunctionDoesNotSlowDownCallAfterCall() {
        SendEvent unknownTask = new SendEvent("no-such-task", null, null);
        handler.handleRequest(unknownTask, new FakeLambdaContext("warm-0", 60_000));
        int beans = handler.getApplicationContext().getAllBeanDefinitions().size();

        for (int call = 1; call <= 50; call++) {
            handler.handleRequest(unknownTask, new FakeLambdaContext("warm-" + call, 60_000));
        }

        assertThat(handler.getApplicationContext().getAllBeanDefinitions()).hasSize(beans);
    }

    @Test
    void priming_runsAnInvocationsPaths_andSendsAndWritesNothing() throws Exception {
        int mailsBefore = subjectsAtSes().size();
        int itemsBefore = dynamo.scan(r -> r.tableName(TABLE)).count();

        assertThat(handler.prime()).isEqualTo(DispatchResult.Outcome.UNKNOWN_TASK);

        assertThat(subjectsAtSes()).hasSize(mailsBefore);
        assertThat(dynamo.scan(r -> r.tableName(TABLE)).count()).isEqualTo(itemsBefore);
    }

    /** What the send function prints (its logs and metrics both go to the Lambda log stream). */
    private static <T> T capturingStdout(List<String> lines, java.util.concurrent.Callable<T> action) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return action.call();
        } finally {
            System.setOut(original);
            captured.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).forEach(lines::add);
            lines.forEach(original::println);
        }
    }

    @Test
    void nearTheDeadline_anInvocationCheckpoints_andItsContinuationsFinish_everyRecipientOnce() throws Exception {
        LAMBDA.stubFor(post(urlPathMatching("/2015-03-31/functions/.*/invocations")).willReturn(aResponse().withStatus(202)));
        String taskId = scheduleImmediately("short", 5, 2);
        FakeLambdaContext alwaysNearTheDeadline = new FakeLambdaContext("request-2", 1_000); // below the 30 s checkpoint margin

        List<SendResult> results = new ArrayList<>();
        results.add(handler.handleRequest(sample("send/continuation.json", taskId), alwaysNearTheDeadline));
        while (results.get(results.size() - 1).outcome().equals("CONTINUED") && results.size() < 10) {
            // Lambda hands the continuation's payload to a fresh invocation.
            List<LoggedRequest> invokes = LAMBDA.findAll(postRequestedFor(urlPathMatching("/2015-03-31/functions/.*/invocations")));
            LoggedRequest invoke = invokes.get(invokes.size() - 1);
            assertThat(invoke.getHeader("X-Amz-Invocation-Type")).isEqualTo("Event");
            assertThat(invoke.getUrl()).contains(URLEncoder.encode(FUNCTION_ARN, StandardCharsets.UTF_8));
            results.add(handler.handleRequest(LambdaEvents.deserialize(invoke.getBodyAsString(), SendEvent.class),
                    alwaysNearTheDeadline));
        }

        // Chunks of two: each short invocation sends one chunk, then hands over.
        assertThat(results).extracting(SendResult::outcome).containsExactly("CONTINUED", "CONTINUED", "COMPLETED");
        assertThat(results).extracting(SendResult::sent).containsExactly(2, 2, 1);
        assertThat(subjectsAtSes()).filteredOn(subject -> subject.contains("SHORT-"))
                .containsExactlyInAnyOrder("Order SHORT-0 for R0", "Order SHORT-1 for R1", "Order SHORT-2 for R2",
                        "Order SHORT-3 for R3", "Order SHORT-4 for R4");
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        assertThat(store.findMessage(messageId).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        assertThat(store.listRuns(messageId)).extracting(Run::status)
                .containsExactly(RunStatus.CONTINUED, RunStatus.CONTINUED, RunStatus.COMPLETED);
    }

    /** The send function's settings, pointed at the emulators, with {@code more}. */
    private static Map<String, Object> sendFunctionSettings(Map<String, Object> more) {
        Map<String, Object> settings = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("herald.table", TABLE),
                Map.entry("herald.kms-key-id", "alias/herald"),
                Map.entry("herald.unsubscribe-secret-arn", secretArn),
                Map.entry("herald.public-url", "https://mail.example.com"),
                Map.entry("herald.send-function-arn", FUNCTION_ARN),
                Map.entry("herald.aws.region", "eu-west-1"),
                Map.entry("herald.aws.endpoint", LAMBDA.baseUrl()),
                Map.entry("herald.aws.dynamodb-endpoint", dynalite.endpoint()),
                Map.entry("herald.aws.ses-endpoint", ses.endpoint()),
                Map.entry("herald.aws.secrets-manager-endpoint", moto.endpoint())));
        settings.putAll(more);
        return settings;
    }

    /** A send function in an execution environment of its own, whose invocations send 20 mails a second. */
    private static SendHandler slowInvocation() {
        return new SendHandler(ApplicationContext.builder().properties(sendFunctionSettings(Map.of(
                "herald.worker-rate", "20", "herald.max-workers", "3"))));
    }

    private static List<SendEvent> invocationsFor(String taskId, String trigger) {
        return LAMBDA.findAll(postRequestedFor(urlPathMatching("/2015-03-31/functions/.*/invocations"))).stream()
                .map(invoke -> LambdaEvents.deserialize(invoke.getBodyAsString(), SendEvent.class))
                .filter(event -> taskId.equals(event.taskId()) && trigger.equals(event.trigger())).toList();
    }

    @Test
    void aSystemFasterThanOneInvocation_fansOut_toWorkersInvokedAsynchronously_thatSendEveryRecipientOnceTogether()
            throws Exception {
        LAMBDA.stubFor(post(urlPathMatching("/2015-03-31/functions/.*/invocations")).willReturn(aResponse().withStatus(202)));
        // 250 chunks of one: three slices of 100; the system's 50 a second needs three invocations of 20.
        String taskId = scheduleImmediately("fanned", 250, 1);
        List<SendHandler> environments = List.of(slowInvocation(), slowInvocation(), slowInvocation());
        java.util.concurrent.ExecutorService lambda = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var holder = lambda.submit(() -> environments.get(0).handleRequest(sample("send/scheduled.json", taskId),
                    new FakeLambdaContext("request-holder", 300_000)));
            List<SendEvent> workers = List.of();
            for (int i = 0; i < 200 && workers.size() < 2; i++) {
                Thread.sleep(25);
                workers = invocationsFor(taskId, "WORKER");
            }
            assertThat(workers).as("the run holding the task invoked two workers").hasSize(2);
            List<java.util.concurrent.Future<SendResult>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                SendEvent event = workers.get(i);
                SendHandler environment = environments.get(i + 1);
                results.add(lambda.submit(() -> environment.handleRequest(event, new FakeLambdaContext("request-worker", 300_000))));
            }
            SendResult first = holder.get();
            for (var result : results) {
                assertThat(result.get().outcome()).isEqualTo("COMPLETED");
            }
            if (!first.outcome().equals("COMPLETED")) {
                // Workers still held slices when the holder ran out: the last of them invoked the task's next run.
                SendEvent next = invocationsFor(taskId, "IMMEDIATE").get(0);
                assertThat(environments.get(0).handleRequest(next, new FakeLambdaContext("request-last", 300_000)).outcome())
                        .isEqualTo("COMPLETED");
            }
        } finally {
            lambda.shutdown();
            for (SendHandler environment : environments) {
                environment.close();
            }
        }

        List<String> subjects = subjectsAtSes().stream().filter(subject -> subject.contains("FANNED-")).toList();
        assertThat(subjects).hasSize(250).doesNotHaveDuplicates();
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        Message message = store.findMessage(messageId).orElseThrow();
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().sent()).isEqualTo(250);
        assertThat(message.fanOut().workers()).isEqualTo(3);
        assertThat(store.listSlices(messageId)).hasSize(3).allSatisfy(slice -> assertThat(slice.state())
                .isEqualTo(dev.herald.core.model.SliceState.DONE));
        assertThat(store.listRuns(messageId)).filteredOn(run -> run.trigger() == dev.herald.core.model.Trigger.WORKER).hasSize(2);
    }
}
