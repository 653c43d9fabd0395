package dev.herald.aws;

import dev.herald.testkit.AwsClients;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.herald.core.error.SchedulerException;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBridgeTaskSchedulerTest {

    @RegisterExtension
    static final WireMockExtension AWS = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live";
    private static final String ROLE = "arn:aws:iam::123456789012:role/herald-scheduler";
    private static final String DLQ = "arn:aws:sqs:eu-west-1:123456789012:herald-dlq";
    private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final Task TASK = new Task("0f8fad5b-d9cb-469f-a165-70867728950e", "m1", "newsletter", "newsletters",
            Instant.parse("2030-03-05T08:00:00.750Z"), TaskState.PENDING, null, null, Instant.EPOCH, Instant.EPOCH, 0);
    private static final Clock NOW = Clock.fixed(Instant.parse("2030-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String INVOKE_PATH = "/2015-03-31/functions/" + FUNCTION.replace(":", "%3A") + "/invocations";
    private static final String SCHEDULE_PATH = "/schedules/herald-0f8fad5b-d9cb-469f-a165-70867728950e";
    private static final String DEFINITION = """
            {
              "GroupName": "herald-prod-newsletters",
              "ScheduleExpression": "at(2030-03-05T07:59:00)",
              "ScheduleExpressionTimezone": "UTC",
              "FlexibleTimeWindow": {"Mode": "OFF"},
              "ActionAfterCompletion": "DELETE",
              "KmsKeyArn": "%s",
              "Target": {
                "Arn": "%s",
                "RoleArn": "%s",
                "Input": "{\\"taskId\\":\\"0f8fad5b-d9cb-469f-a165-70867728950e\\",\\"scheduledTime\\":\\"<aws.scheduler.scheduled-time>\\"}",
                "RetryPolicy": {"MaximumEventAgeInSeconds": 21600, "MaximumRetryAttempts": 185},
                "DeadLetterConfig": {"Arn": "%s"}
              }%s
            }""";

    private EventBridgeTaskScheduler scheduler;

    @BeforeEach
    void createScheduler() {
        scheduler = new EventBridgeTaskScheduler(AwsClients.scheduler(AWS.baseUrl()), AwsClients.lambda(AWS.baseUrl()),
                new SchedulerSettings(FUNCTION, ROLE, DLQ, SchedulerSettings.DEFAULT_MAXIMUM_EVENT_AGE, KEY,
                        "herald-prod-", SchedulerSettings.DEFAULT_ARMING_LEAD), NOW);
    }

    private static String definition(String extra) {
        return DEFINITION.formatted(KEY, FUNCTION, ROLE, DLQ, extra);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String type) {
        return aResponse().withStatus(status).withHeader("x-amzn-ErrorType", type)
                .withHeader("Content-Type", "application/json").withBody("{\"Message\":\"" + type + "\"}");
    }

    @Test
    void arm_shouldSendCreateScheduleWithTheExactDefinition() {
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ScheduleArn\":\"arn:schedule\"}")));

        scheduler.arm(TASK);

        AWS.verify(postRequestedFor(urlPathEqualTo(SCHEDULE_PATH)).withRequestBody(equalToJson(
                definition(",\"ClientToken\": \"herald-0f8fad5b-d9cb-469f-a165-70867728950e\""))));
    }

    @Test
    void aTaskDueWithinTheArmingLead_isFiredAtOnce_insteadOfScheduled() {
        Task soon = new Task(TASK.id(), "m1", "newsletter", "newsletters", NOW.instant().plusSeconds(40),
                TaskState.PENDING, null, null, Instant.EPOCH, Instant.EPOCH, 0);
        AWS.stubFor(post(urlPathEqualTo(INVOKE_PATH)).willReturn(aResponse().withStatus(202)));
        AWS.stubFor(delete(urlPathEqualTo(SCHEDULE_PATH)).willReturn(aResponse().withStatus(200)));

        scheduler.arm(soon);
        scheduler.rearm(soon);

        AWS.verify(0, postRequestedFor(urlPathEqualTo(SCHEDULE_PATH)));
        AWS.verify(0, putRequestedFor(urlPathEqualTo(SCHEDULE_PATH)));
        AWS.verify(deleteRequestedFor(urlPathEqualTo(SCHEDULE_PATH)));
        AWS.verify(2, postRequestedFor(urlPathEqualTo(INVOKE_PATH)).withHeader("X-Amz-Invocation-Type", equalTo("Event")));
    }

    @Test
    void arm_inACategoryWithoutAGroupYet_createsTheGroup_thenTheSchedule() {
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).inScenario("group").whenScenarioStateIs(STARTED)
                .willReturn(error(404, "ResourceNotFoundException")));
        AWS.stubFor(post(urlPathEqualTo("/schedule-groups/herald-prod-newsletters")).inScenario("group")
                .whenScenarioStateIs(STARTED).willSetStateTo("created").willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("{\"ScheduleGroupArn\":\"arn:group\"}")));
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).inScenario("group").whenScenarioStateIs("created")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"ScheduleArn\":\"arn:schedule\"}")));

        scheduler.arm(TASK);

        AWS.verify(postRequestedFor(urlPathEqualTo("/schedule-groups/herald-prod-newsletters")));
        AWS.verify(2, postRequestedFor(urlPathEqualTo(SCHEDULE_PATH)));
    }

    @Test
    void arm_whenTheScheduleExists_countsAsArmed() {
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).willReturn(error(409, "ConflictException")));

        assertThatCode(() -> scheduler.arm(TASK)).doesNotThrowAnyException();
    }

    @Test
    void arm_whenAccessIsDenied_raisesASchedulerError() {
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).willReturn(error(403, "AccessDeniedException")));

        assertThatThrownBy(() -> scheduler.arm(TASK)).isInstanceOf(SchedulerException.class)
                .hasMessageContaining("herald-0f8fad5b");
    }

    @Test
    void rearm_shouldSendUpdateScheduleWithTheWholeDefinition_andCreateWhenItIsGone() {
        AWS.stubFor(put(urlPathEqualTo(SCHEDULE_PATH)).willReturn(error(404, "ResourceNotFoundException")));
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ScheduleArn\":\"arn:schedule\"}")));

        scheduler.rearm(TASK);

        AWS.verify(putRequestedFor(urlPathEqualTo(SCHEDULE_PATH)).withRequestBody(equalToJson(definition(""), false, true)));
        AWS.verify(postRequestedFor(urlPathEqualTo(SCHEDULE_PATH)));
    }

    @Test
    void disarm_shouldDeleteInTheTasksGroup_andAGoneScheduleIsFine() {
        AWS.stubFor(delete(urlPathEqualTo(SCHEDULE_PATH)).willReturn(error(404, "ResourceNotFoundException")));

        assertThatCode(() -> scheduler.disarm(TASK)).doesNotThrowAnyException();

        AWS.verify(deleteRequestedFor(urlPathEqualTo(SCHEDULE_PATH)).withQueryParam("groupName", equalTo("herald-prod-newsletters")));
    }

    @Test
    void fireNow_invokesTheSendFunctionAsynchronously_withOnlyTheTaskId() {
        String path = INVOKE_PATH;
        AWS.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(202)));

        scheduler.fireNow(TASK);

        AWS.verify(postRequestedFor(urlPathEqualTo(path))
                .withHeader("X-Amz-Invocation-Type", equalTo("Event"))
                .withRequestBody(equalToJson("{\"taskId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"trigger\":\"IMMEDIATE\"}")));
    }

    @Test
    void maximumEventAge_isConfigurable() {
        scheduler = new EventBridgeTaskScheduler(AwsClients.scheduler(AWS.baseUrl()), AwsClients.lambda(AWS.baseUrl()),
                new SchedulerSettings(FUNCTION, ROLE, null, Duration.ofMinutes(30), null,
                        "herald-prod-", SchedulerSettings.DEFAULT_ARMING_LEAD), NOW);
        AWS.stubFor(post(urlPathEqualTo(SCHEDULE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ScheduleArn\":\"arn:schedule\"}")));

        scheduler.arm(TASK);

        AWS.verify(postRequestedFor(urlPathEqualTo(SCHEDULE_PATH)).withRequestBody(equalToJson(
                "{\"Target\": {\"RetryPolicy\": {\"MaximumEventAgeInSeconds\": 1800}}}", false, true)));
    }
}
