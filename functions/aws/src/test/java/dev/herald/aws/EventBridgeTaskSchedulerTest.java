package dev.herald.aws;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.herald.core.error.SchedulerException;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.testkit.AwsClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.Target;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scheduler adapter against moto's EventBridge Scheduler: what Herald arms reads back through
 * GetSchedule as it must be. WireMock stands in only where moto cannot: the send function's
 * asynchronous invocation (moto runs functions in Docker) and an access-denied answer.
 */
class EventBridgeTaskSchedulerTest {

    @RegisterExtension
    static final WireMockExtension LAMBDA = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final Clock NOW = Clock.fixed(Instant.parse("2030-03-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String INVOKE_PATH = "/2015-03-31/functions/" + MotoScheduler.FUNCTION.replace(":", "%3A") + "/invocations";
    @RegisterExtension
    static final MotoScheduler MOTO = new MotoScheduler();

    private static EventBridgeTaskScheduler scheduler(Duration maximumEventAge, String deadLetterQueue) {
        return new EventBridgeTaskScheduler(MOTO.client(), AwsClients.lambda(LAMBDA.baseUrl()),
                new SchedulerSettings(MotoScheduler.FUNCTION, MotoScheduler.ROLE, deadLetterQueue, maximumEventAge, KEY,
                        "herald-prod-", SchedulerSettings.DEFAULT_ARMING_LEAD), NOW);
    }

    private static EventBridgeTaskScheduler scheduler() {
        return scheduler(SchedulerSettings.DEFAULT_MAXIMUM_EVENT_AGE, MotoScheduler.DLQ);
    }

    /** A task of its own category (so its own group) due at {@code fireAt}. */
    private static Task task(String category, Instant fireAt) {
        return new Task(UUID.randomUUID().toString(), "m1", "newsletter", category, fireAt, ChunkRange.ALL, List.of(), TaskState.PENDING,
                null, null, Instant.EPOCH, Instant.EPOCH, 0);
    }

    private static GetScheduleResponse schedule(Task task) {
        return MOTO.client().getSchedule(r -> r.groupName("herald-prod-" + task.category()).name("herald-" + task.id()));
    }

    @Test
    void arm_createsTheScheduleAMinuteEarly_inTheCategorysGroup_withTheWholeDefinition() {
        Task task = task("newsletters", Instant.parse("2030-03-05T08:00:00.750Z"));

        scheduler().arm(task);

        GetScheduleResponse armed = schedule(task);
        assertThat(armed.scheduleExpression()).isEqualTo("at(2030-03-05T07:59:00)");
        assertThat(armed.scheduleExpressionTimezone()).isEqualTo("UTC");
        assertThat(armed.flexibleTimeWindow().mode()).isEqualTo(FlexibleTimeWindowMode.OFF);
        assertThat(armed.actionAfterCompletion()).isEqualTo(ActionAfterCompletion.DELETE);
        assertThat(armed.groupName()).isEqualTo("herald-prod-newsletters");
        assertThat(armed.kmsKeyArn()).isEqualTo(KEY);
        Target target = armed.target();
        assertThat(target.arn()).isEqualTo(MotoScheduler.FUNCTION);
        assertThat(target.roleArn()).isEqualTo(MotoScheduler.ROLE);
        assertThat(target.input()).isEqualTo("{\"taskId\":\"" + task.id() + "\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}");
        assertThat(target.retryPolicy().maximumEventAgeInSeconds()).isEqualTo(21_600);
        assertThat(target.retryPolicy().maximumRetryAttempts()).isEqualTo(185);
        assertThat(target.deadLetterConfig().arn()).isEqualTo(MotoScheduler.DLQ);
    }

    @Test
    void theFirstScheduleOfACategory_createsItsGroup_andASecondArmOfTheSameTask_isHarmless() {
        Task task = task("first-" + UUID.randomUUID().toString().substring(0, 8), Instant.parse("2030-03-05T08:00:00Z"));
        assertThatThrownBy(() -> MOTO.client().getScheduleGroup(r -> r.name("herald-prod-" + task.category())))
                .isInstanceOf(ResourceNotFoundException.class);

        scheduler().arm(task);
        assertThatCode(() -> scheduler().arm(task)).doesNotThrowAnyException();

        assertThat(MOTO.client().getScheduleGroup(r -> r.name("herald-prod-" + task.category())).name())
                .isEqualTo("herald-prod-" + task.category());
        assertThat(MOTO.client().listSchedules(r -> r.groupName("herald-prod-" + task.category())).schedules())
                .singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("herald-" + task.id()));
    }

    @Test
    void rearm_replacesTheDefinition_andCreatesTheScheduleWhenItIsGone() {
        Task task = task("newsletters", Instant.parse("2030-03-05T08:00:00Z"));
        EventBridgeTaskScheduler scheduler = scheduler();
        scheduler.arm(task);
        Task moved = new Task(task.id(), "m1", "newsletter", "newsletters", Instant.parse("2030-04-01T10:30:00Z"),
                ChunkRange.ALL, List.of(), TaskState.ARMED, null, null, Instant.EPOCH, Instant.EPOCH, 1);

        scheduler.rearm(moved);

        assertThat(schedule(task).scheduleExpression()).isEqualTo("at(2030-04-01T10:29:00)");
        assertThat(schedule(task).target().deadLetterConfig().arn()).isEqualTo(MotoScheduler.DLQ);
        Task gone = task("newsletters", Instant.parse("2030-05-01T00:00:00Z"));
        scheduler.rearm(gone);
        assertThat(schedule(gone).scheduleExpression()).isEqualTo("at(2030-04-30T23:59:00)");
    }

    @Test
    void disarm_removesTheSchedule_andDisarmingWhatIsGone_succeeds() {
        Task task = task("newsletters", Instant.parse("2030-03-05T08:00:00Z"));
        EventBridgeTaskScheduler scheduler = scheduler();
        scheduler.arm(task);

        scheduler.disarm(task);

        assertThatThrownBy(() -> schedule(task)).isInstanceOf(ResourceNotFoundException.class);
        assertThatCode(() -> scheduler.disarm(task)).doesNotThrowAnyException();
    }

    @Test
    void theMaximumEventAge_isTheSchedulesRetryLimit_andWithoutAQueue_thereIsNoDeadLetterTarget() {
        Task task = task("newsletters", Instant.parse("2030-03-05T08:00:00Z"));

        scheduler(Duration.ofMinutes(30), null).arm(task);

        assertThat(schedule(task).target().retryPolicy().maximumEventAgeInSeconds()).isEqualTo(1800);
        assertThat(schedule(task).target().deadLetterConfig()).isNull();
    }

    @Test
    void aTaskDueWithinTheArmingLead_isFiredAtOnce_withOnlyItsId_insteadOfScheduled() {
        Task soon = task("newsletters", NOW.instant().plusSeconds(40));
        LAMBDA.stubFor(post(urlPathEqualTo(INVOKE_PATH)).willReturn(aResponse().withStatus(202)));

        scheduler().arm(soon);
        scheduler().rearm(soon);

        assertThatThrownBy(() -> schedule(soon)).isInstanceOf(ResourceNotFoundException.class);
        LAMBDA.verify(2, postRequestedFor(urlPathEqualTo(INVOKE_PATH))
                .withHeader("X-Amz-Invocation-Type", equalTo("Event"))
                .withRequestBody(equalToJson("{\"taskId\":\"" + soon.id() + "\",\"trigger\":\"IMMEDIATE\"}")));
    }

    @Test
    void whenAccessIsDenied_armingRaisesASchedulerError_namingTheGroup() {
        LAMBDA.stubFor(get(urlPathEqualTo("/schedule-groups/herald-prod-denied")).willReturn(aResponse().withStatus(403)
                .withHeader("x-amzn-ErrorType", "AccessDeniedException").withHeader("Content-Type", "application/json")
                .withBody("{\"Message\":\"not allowed\"}")));
        EventBridgeTaskScheduler denied = new EventBridgeTaskScheduler(AwsClients.scheduler(LAMBDA.baseUrl()),
                AwsClients.lambda(LAMBDA.baseUrl()), new SchedulerSettings(MotoScheduler.FUNCTION, MotoScheduler.ROLE, MotoScheduler.DLQ,
                SchedulerSettings.DEFAULT_MAXIMUM_EVENT_AGE, KEY, "herald-prod-", SchedulerSettings.DEFAULT_ARMING_LEAD), NOW);

        assertThatThrownBy(() -> denied.arm(task("denied", Instant.parse("2030-03-05T08:00:00Z"))))
                .isInstanceOf(SchedulerException.class).hasMessageContaining("herald-prod-denied");
    }
}
