package dev.herald.send;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.herald.aws.AwsClients;
import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.Emulator;
import dev.herald.aws.HeraldTable;
import dev.herald.aws.SesTransports;
import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.storage.Documents;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.RecordingScheduler;
import dev.herald.core.testing.ReversingCipher;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The send function, event in and result out, over DynamoDB on dynalite and SES on aws-ses-v2-local. */
class SendHandlerTest {

    private static final String TABLE = "herald-send-test";
    private static Emulator dynalite;
    private static Emulator ses;
    private static DynamoDbClient dynamo;
    private static SendHandler handler;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test");
        dynalite = Emulator.dynalite();
        ses = Emulator.sesV2Local();
        dynamo = AwsClients.dynamoDb(dynalite.endpoint());
        HeraldTable.create(dynamo, TABLE);
        handler = new SendHandler(ApplicationContext.builder().properties(Map.of(
                "herald.table", TABLE,
                "herald.send-function-arn", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live",
                "herald.aws.region", "eu-west-1",
                "herald.aws.dynamodb-endpoint", dynalite.endpoint(),
                "herald.aws.ses-endpoint", ses.endpoint())));
    }

    @AfterAll
    static void stop() throws Exception {
        handler.close();
        dynamo.close();
        ses.close();
        dynalite.close();
    }

    /** A message stored as the API function would store it, with its task armed. */
    private static String scheduleImmediately() {
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        SesTransports sesTransports = new SesTransports(SesV2Client.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create(ses.endpoint())).httpClient(UrlConnectionHttpClient.create()).build(),
                UrlConnectionHttpClient.create(), URI.create(ses.endpoint()));
        new MessageSystemService(store, new ReversingCipher(), sesTransports, Clock.systemUTC()).createIfAbsent(
                new MessageSystemSpec("ses", "SES", true, "ses", "news@example.com", "News", null, 50.0, null, null, null));
        RecordingScheduler scheduler = new RecordingScheduler();
        ScheduleService schedule = new ScheduleService(store, scheduler, sesTransports, new TemplateRenderer(),
                SchedulingLimits.defaults(), Clock.systemUTC(), Ids.random());
        schedule.schedule(new Caller("alice", Role.SENDER), new ScheduleRequest("ses", "Order {{order}} for {{name}}",
                "Hello {{name}}", null, List.of(
                        new RecipientInput("ann@example.com", "Ann", Map.of("order", "A-1")),
                        new RecipientInput("bob@example.com", "Bob", Map.of("order", "B-2")),
                        new RecipientInput("cyd@example.com", "Cyd", Map.of("order", "C-3"))), null, null, null),
                null, null);
        return scheduler.firedNow.get(0).id();
    }

    @SuppressWarnings("unchecked")
    private static List<String> subjectsAtSes() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ses.endpoint() + "/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return ((List<Map<String, Object>>) new Documents().read(body, Map.class).get("emails")).stream()
                .map(e -> (String) e.get("subject")).toList();
    }

    @Test
    void anInvocation_sendsTheTaskThroughSes_andADuplicateSendsNothing() throws Exception {
        String taskId = scheduleImmediately();

        SendResult first = handler.handleRequest(new SendEvent(taskId, null, "IMMEDIATE"), new FakeContext(300_000));
        SendResult duplicate = handler.handleRequest(new SendEvent(taskId, "2030-01-01T00:00:00Z", null), new FakeContext(300_000));

        assertThat(first.outcome()).isEqualTo("COMPLETED");
        assertThat(first.sent()).isEqualTo(3);
        assertThat(duplicate.outcome()).isEqualTo("DUPLICATE");
        assertThat(subjectsAtSes()).containsExactlyInAnyOrder("Order A-1 for Ann", "Order B-2 for Bob", "Order C-3 for Cyd");
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        String messageId = store.findTask(taskId).orElseThrow().messageId();
        assertThat(store.findMessage(messageId).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
        assertThat(store.listRuns(messageId)).hasSize(1);
    }

    /** Just enough of a Lambda context: the remaining time. */
    private record FakeContext(int remainingMillis) implements Context {
        public String getAwsRequestId() {
            return "request-1";
        }

        public String getLogGroupName() {
            return null;
        }

        public String getLogStreamName() {
            return null;
        }

        public String getFunctionName() {
            return "herald-send";
        }

        public String getFunctionVersion() {
            return "1";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live";
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return remainingMillis;
        }

        public int getMemoryLimitInMB() {
            return 1024;
        }

        public LambdaLogger getLogger() {
            return null;
        }
    }
}
