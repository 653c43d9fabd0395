package dev.herald.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.herald.aws.AwsClients;
import dev.herald.aws.Emulator;
import dev.herald.aws.HeraldTable;
import dev.herald.core.storage.Documents;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** The API function fed API Gateway payload 2.0 events: DynamoDB on dynalite, schedules captured by WireMock. */
class ApiFunctionTest {

    @RegisterExtension
    static final WireMockExtension AWS = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String TABLE = "herald-api-test";
    private static Emulator dynalite;
    private static Emulator ses;
    private static dev.herald.send.SendHandler sendHandler;
    private static APIGatewayV2HTTPEventFunction function;
    private static ApplicationContext context;
    private final Documents json = new Documents();

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDTEST");
        System.setProperty("aws.secretAccessKey", "test");
        dynalite = Emulator.dynalite();
        try (DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint())) {
            HeraldTable.create(dynamo, TABLE);
        }
        ses = Emulator.sesV2Local();
        sendHandler = new dev.herald.send.SendHandler(ApplicationContext.builder().properties(Map.of(
                "herald.table", TABLE,
                "herald.send-function-arn", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live",
                "herald.aws.region", "eu-west-1",
                "herald.aws.dynamodb-endpoint", dynalite.endpoint(),
                "herald.aws.ses-endpoint", ses.endpoint())));
        context = ApplicationContext.run(Map.of(
                "herald.table", TABLE,
                "herald.kms-key-id", "alias/herald",
                "herald.send-function-arn", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live",
                "herald.scheduler-role-arn", "arn:aws:iam::123456789012:role/herald-scheduler",
                "herald.aws.region", "eu-west-1",
                "herald.aws.endpoint", AWS.baseUrl(),
                "herald.aws.dynamodb-endpoint", dynalite.endpoint()));
        function = new APIGatewayV2HTTPEventFunction(context);
    }

    @AfterAll
    static void stop() throws Exception {
        context.close();
        sendHandler.close();
        ses.close();
        dynalite.close();
    }

    private static APIGatewayV2HTTPEvent event(String method, String path, String body, Map<String, String> claims) {
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                .withRequestId("request-1").withStage("$default");
        if (claims != null) {
            requestContext.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
        }
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("$default").withRawPath(path)
                .withHeaders(Map.of("content-type", "application/json", "accept", "application/json"))
                .withBody(body).withIsBase64Encoded(false).withRequestContext(requestContext.build()).build();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> body(APIGatewayV2HTTPResponse response) {
        return json.read(response.getBody(), Map.class);
    }

    @Test
    void anAdminCreatesASystem_aSenderSchedules_theScheduleIsCreated_andOnlyTheSenderSeesTheMessage() {
        Map<String, String> admin = Map.of("sub", "admin-1", "cognito:groups", "[herald-admin]");
        Map<String, String> alice = Map.of("sub", "alice", "cognito:groups", "herald-sender");
        AWS.stubFor(post(urlPathMatching("/schedules/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ScheduleArn\":\"arn:schedule\"}")));

        APIGatewayV2HTTPResponse system = function.handleRequest(event("POST", "/v1/message-systems",
                json.write(Map.of("id", "ses", "name", "SES", "transport", "ses", "from", "news@example.com",
                        "scheduling", Map.of("enabled", true, "category", "newsletters"))), admin), null);
        assertThat(system.getStatusCode()).as(system.getBody()).isEqualTo(201);

        String sendAt = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> message = new HashMap<>(Map.of("messageSystem", "ses", "subject", "Hi {{name}}", "text", "x",
                "recipients", List.of(Map.of("email", "ann@example.com", "name", "Ann")), "sendAt", sendAt));
        APIGatewayV2HTTPResponse accepted = function.handleRequest(event("POST", "/v1/messages", json.write(message), alice), null);

        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");
        AWS.verify(postRequestedFor(urlPathMatching("/schedules/herald-" + taskId))
                .withRequestBody(matchingJsonPath("$.GroupName", com.github.tomakehurst.wiremock.client.WireMock.equalTo("newsletters")))
                .withRequestBody(matchingJsonPath("$.Target.Input", com.github.tomakehurst.wiremock.client.WireMock.containing(taskId))));
        APIGatewayV2HTTPResponse read = function.handleRequest(event("GET", "/v1/messages/" + id, null, alice), null);
        assertThat(read.getStatusCode()).isEqualTo(200);
        assertThat(body(read)).containsEntry("status", "SCHEDULED");
        Map<String, String> bob = Map.of("sub", "bob", "cognito:groups", "herald-sender");
        assertThat(function.handleRequest(event("GET", "/v1/messages/" + id, null, bob), null).getStatusCode()).isEqualTo(404);
        assertThat(function.handleRequest(event("GET", "/v1/message-systems", null, alice), null).getStatusCode()).isEqualTo(403);
    }

    @Test
    void endToEnd_theCapturedScheduleInputFedToTheSendFunction_deliversThroughSes_andTheApiShowsSent() throws Exception {
        Map<String, String> admin = Map.of("sub", "admin-1", "cognito:groups", "[herald-admin]");
        Map<String, String> alice = Map.of("sub", "alice", "cognito:groups", "herald-sender");
        AWS.stubFor(post(urlPathMatching("/schedules/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ScheduleArn\":\"arn:schedule\"}")));
        function.handleRequest(event("POST", "/v1/message-systems", json.write(Map.of("id", "ses-e2e", "name", "SES",
                "transport", "ses", "from", "news@example.com")), admin), null);
        Instant sendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> message = Map.of("messageSystem", "ses-e2e", "subject", "Order {{order}} for {{name}}",
                "text", "Hello {{name}}", "sendAt", sendAt.toString(), "recipients", List.of(
                        Map.of("email", "ann@example.com", "name", "Ann", "data", Map.of("order", "A-1")),
                        Map.of("email", "bob@example.com", "name", "Bob", "data", Map.of("order", "B-2"))));
        APIGatewayV2HTTPResponse accepted = function.handleRequest(event("POST", "/v1/messages", json.write(message), alice), null);
        String id = (String) body(accepted).get("id");
        String taskId = (String) ((Map<?, ?>) ((List<?>) body(accepted).get("tasks")).get(0)).get("id");
        String captured = AWS.findAll(postRequestedFor(urlPathMatching("/schedules/herald-" + taskId))).get(0).getBodyAsString();
        String input = (String) ((Map<?, ?>) json.read(captured, Map.class).get("Target")).get("Input");
        // EventBridge replaces the placeholder with the schedule's time when it fires.
        Map<?, ?> fired = json.read(input.replace("<aws.scheduler.scheduled-time>", sendAt.toString()), Map.class);

        Thread.sleep(Math.max(0, java.time.Duration.between(Instant.now(), sendAt).toMillis()));
        dev.herald.send.SendResult result = sendHandler.handleRequest(
                new dev.herald.send.SendEvent((String) fired.get("taskId"), (String) fired.get("scheduledTime"), null), null);

        assertThat(result.outcome()).isEqualTo("COMPLETED");
        assertThat(result.sent()).isEqualTo(2);
        String store = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(ses.endpoint() + "/store")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(store).contains("Order A-1 for Ann").contains("Order B-2 for Bob");
        Map<String, Object> read = body(function.handleRequest(event("GET", "/v1/messages/" + id, null, alice), null));
        assertThat(read).containsEntry("status", "SENT");
        Map<String, Object> recipients = body(function.handleRequest(event("GET", "/v1/messages/" + id + "/recipients", null, alice), null));
        assertThat((List<?>) recipients.get("items")).hasSize(2)
                .allSatisfy(r -> assertThat(((Map<?, ?>) r).get("state")).isEqualTo("SENT"));
    }

    @Test
    void withoutJwtClaims_everyRequestIs401_problemJson() {
        APIGatewayV2HTTPResponse response = function.handleRequest(event("GET", "/v1/messages", null, null), null);

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("application/problem+json");
        assertThat(function.handleRequest(event("GET", "/v1/health", null, null), null).getStatusCode()).isEqualTo(200);
    }
}
