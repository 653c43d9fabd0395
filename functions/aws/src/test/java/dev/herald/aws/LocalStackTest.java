package dev.herald.aws;

import dev.herald.core.error.CipherException;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Scheduling;
import dev.herald.core.model.SesSettings;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Store;
import dev.herald.core.port.Transport;
import dev.herald.core.testing.StoreContract;
import dev.herald.testkit.HeraldTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS adapters against LocalStack: DynamoDB (the whole store contract), KMS with an encryption
 * context, SES v2 and EventBridge Scheduler. It runs where a Docker engine is; elsewhere JUnit reports
 * every test here as skipped, "disabledWithoutDocker is true and Docker is not available". The image
 * is {@code LOCALSTACK_IMAGE} (default below); {@code LOCALSTACK_AUTH_TOKEN} is passed on when set,
 * for images that need one.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackTest {

    private static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

    @Container
    static final LocalStackContainer LOCALSTACK = localStack();

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    private static DynamoDbClient dynamo;
    private static KmsClient kms;
    private static SesV2Client ses;
    private static SchedulerClient scheduler;
    private static LambdaClient lambda;

    private static LocalStackContainer localStack() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(
                System.getenv().getOrDefault("LOCALSTACK_IMAGE", DEFAULT_IMAGE)).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("dynamodb", "kms", "ses", "scheduler", "lambda");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        return token == null || token.isBlank() ? container : container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }

    private static <B extends AwsClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(LOCALSTACK.getEndpoint()).region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
                .build();
    }

    @BeforeAll
    static void clients() {
        dynamo = client(DynamoDbClient.builder().httpClient(HTTP));
        kms = client(KmsClient.builder().httpClient(HTTP));
        ses = client(SesV2Client.builder().httpClient(HTTP));
        scheduler = client(SchedulerClient.builder().httpClient(HTTP));
        lambda = client(LambdaClient.builder().httpClient(HTTP));
    }

    @AfterAll
    static void closeClients() {
        for (AutoCloseable client : new AutoCloseable[]{dynamo, kms, ses, scheduler, lambda}) {
            try {
                if (client != null) {
                    client.close();
                }
            } catch (Exception ignored) {
                // closing test clients; nothing to recover
            }
        }
    }

    @Nested
    class DynamoDbStoreOnLocalStack extends StoreContract {
        @Override
        protected Store newEmptyStore() {
            String table = "herald-" + UUID.randomUUID();
            HeraldTable.create(dynamo, table, DynamoDbStore.INDEXES);
            return new DynamoDbStore(dynamo, table, Clock.systemUTC());
        }
    }

    @Test
    void kms_decryptsWithTheSameContext_andRefusesAnother() {
        String keyId = kms.createKey(r -> r.description("herald-test")).keyMetadata().keyId();
        KmsCipher cipher = new KmsCipher(kms, keyId);
        Map<String, String> context = Map.of("herald:messageSystem", "newsletters", "herald:purpose", "job-account");

        byte[] ciphertext = cipher.encrypt("s3cret".getBytes(StandardCharsets.UTF_8), context);

        assertThat(new String(cipher.decrypt(ciphertext, context), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThatThrownBy(() -> cipher.decrypt(ciphertext, Map.of("herald:messageSystem", "other",
                "herald:purpose", "job-account"))).isInstanceOf(CipherException.class);
    }

    @Test
    void ses_sendsToAVerifiedIdentity_andLocalStackKeepsTheMail() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity("news@example.com"));
        MessageSystem system = new MessageSystem("ses", "SES", true, TransportKind.SES,
                new Mailbox("news@example.com", "Example News"), null, 14.0, null,
                new SesSettings(LOCALSTACK.getRegion(), null), new Scheduling(true, "default", null), null, null,
                Instant.EPOCH, Instant.EPOCH, 0);
        OutgoingMail mail = new OutgoingMail("k0", new Mailbox("ann@example.com", "Ann"), "Order A-1 for Ann",
                "Hello Ann", null, Map.of("name", "Ann"), List.of());

        List<Delivery> deliveries;
        try (Transport transport = new SesTransports(ses, HTTP, LOCALSTACK.getEndpoint()).open(system, Optional.empty())) {
            deliveries = transport.send(new MailBatch("m-1", 0, system.from(), null, "Order {{order}} for {{name}}",
                    "Hello {{name}}", null, List.of(mail)));
        }

        assertThat(deliveries).singleElement().extracting(Delivery::kind).isEqualTo(Delivery.Kind.DELIVERED);
        String sent = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(LOCALSTACK.getEndpoint() + "/_aws/ses")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(sent).contains("Order A-1 for Ann").contains("ann@example.com");
    }

    @Test
    void scheduler_armsAOneTimeSchedule_thenDisarmsIt() {
        EventBridgeTaskScheduler schedules = new EventBridgeTaskScheduler(scheduler, lambda, new SchedulerSettings(
                "arn:aws:lambda:" + LOCALSTACK.getRegion() + ":000000000000:function:herald-send:live",
                "arn:aws:iam::000000000000:role/herald-scheduler", null, SchedulerSettings.DEFAULT_MAXIMUM_EVENT_AGE, null,
                "herald-", SchedulerSettings.DEFAULT_ARMING_LEAD),
                Clock.systemUTC());
        Instant fireAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        // Category "test": its group, herald-test, does not exist yet; arming creates it.
        Task task = new Task(UUID.randomUUID().toString(), "m-1", "newsletters", "test", fireAt, ChunkRange.ALL, List.of(), TaskState.PENDING,
                null, null, Instant.now(), Instant.now(), 0);

        schedules.arm(task);

        GetScheduleResponse armed = scheduler.getSchedule(r -> r.name("herald-" + task.id()).groupName("herald-test"));
        assertThat(armed.scheduleExpression()).isEqualTo(schedules.atExpression(task));
        assertThat(armed.scheduleExpressionTimezone()).isIn(null, "UTC");
        assertThat(armed.target().input()).contains(task.id()).doesNotContain("password");
        schedules.disarm(task);
        assertThatThrownBy(() -> scheduler.getSchedule(r -> r.name("herald-" + task.id()).groupName("herald-test")))
                .isInstanceOf(ResourceNotFoundException.class);
        schedules.disarm(task);
    }
}
