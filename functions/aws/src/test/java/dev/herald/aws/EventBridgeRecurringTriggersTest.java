package dev.herald.aws;

import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The recurring-trigger adapter against moto's EventBridge Scheduler: what it sets reads back through GetSchedule. */
class EventBridgeRecurringTriggersTest {

    private static final Instant NOW = Instant.parse("2030-03-01T12:00:00Z");
    @RegisterExtension
    static final MotoScheduler MOTO = new MotoScheduler();

    private static EventBridgeRecurringTriggers triggers(String groupPrefix) {
        return new EventBridgeRecurringTriggers(MOTO.client(), new SchedulerSettings(MotoScheduler.FUNCTION, MotoScheduler.ROLE, MotoScheduler.DLQ, Duration.ofHours(6),
                null, groupPrefix, SchedulerSettings.DEFAULT_ARMING_LEAD), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static RecurringSchedule schedule(String expression, Instant start, Instant end, RecurringScheduleState state) {
        return new RecurringSchedule(UUID.randomUUID().toString(), "alice", "news", "Digest", "Hi", "Hi", null, "l1",
                expression, "America/New_York", start, end, state, NOW, NOW, 0);
    }

    private static GetScheduleResponse read(EventBridgeRecurringTriggers triggers, RecurringSchedule schedule) {
        return MOTO.client().getSchedule(r -> r.groupName(triggers.groupName())
                .name(EventBridgeRecurringTriggers.scheduleName(schedule.id())));
    }

    @Test
    void aSchedule_isCreatedInHeraldsRecurringGroup_withItsRuleZoneWindowAndATargetCarryingTheOccurrence() {
        EventBridgeRecurringTriggers triggers = triggers("herald-prod-");
        RecurringSchedule weekly = schedule("cron(30 8 ? * MON *)", NOW.plus(Duration.ofDays(3)),
                NOW.plus(Duration.ofDays(90)), RecurringScheduleState.ACTIVE);

        triggers.arm(weekly);

        GetScheduleResponse armed = read(triggers, weekly);
        assertThat(armed.groupName()).isEqualTo("herald-prod-recurring");
        assertThat(armed.name()).isEqualTo("herald-recurring-" + weekly.id());
        assertThat(armed.scheduleExpression()).isEqualTo("cron(30 8 ? * MON *)");
        assertThat(armed.scheduleExpressionTimezone()).isEqualTo("America/New_York");
        assertThat(armed.startDate()).isEqualTo(weekly.start());
        assertThat(armed.endDate()).isEqualTo(weekly.end());
        assertThat(armed.stateAsString()).isEqualTo("ENABLED");
        assertThat(armed.flexibleTimeWindow().mode()).isEqualTo(FlexibleTimeWindowMode.OFF);
        assertThat(armed.target().arn()).isEqualTo(MotoScheduler.FUNCTION);
        assertThat(armed.target().roleArn()).isEqualTo(MotoScheduler.ROLE);
        assertThat(armed.target().deadLetterConfig().arn()).isEqualTo(MotoScheduler.DLQ);
        assertThat(armed.target().retryPolicy().maximumEventAgeInSeconds()).isEqualTo(6 * 3600);
        assertThat(armed.target().input()).isEqualTo("{\"recurringScheduleId\":\"" + weekly.id()
                + "\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}");
    }

    @Test
    void armingAgain_replacesTheDefinition_aPausedOneIsDisabled_andAStartAlreadyPastIsLeftOut() {
        EventBridgeRecurringTriggers triggers = triggers("herald-test-");
        RecurringSchedule daily = schedule("cron(0 9 * * ? *)", NOW.minus(Duration.ofDays(30)), null,
                RecurringScheduleState.ACTIVE);
        triggers.arm(daily);
        assertThat(read(triggers, daily).startDate()).as("EventBridge refuses a start long past").isNull();

        RecurringSchedule changed = new RecurringSchedule(daily.id(), daily.ownerId(), daily.messageSystemId(),
                daily.name(), daily.subject(), daily.text(), daily.html(), daily.listId(), "rate(12 hours)",
                "Europe/Vienna", null, null, RecurringScheduleState.PAUSED, daily.createdAt(), NOW, 1);
        triggers.arm(changed);

        GetScheduleResponse read = read(triggers, daily);
        assertThat(read.scheduleExpression()).isEqualTo("rate(12 hours)");
        assertThat(read.scheduleExpressionTimezone()).isEqualTo("Europe/Vienna");
        assertThat(read.stateAsString()).isEqualTo("DISABLED");
    }

    @Test
    void disarming_deletesIt_andDisarmingWhatIsGone_succeeds() {
        EventBridgeRecurringTriggers triggers = triggers("herald-gone-");
        RecurringSchedule hourly = schedule("rate(1 hour)", null, null, RecurringScheduleState.ACTIVE);
        triggers.arm(hourly);

        triggers.disarm(hourly.id());

        assertThatThrownBy(() -> read(triggers, hourly)).isInstanceOf(ResourceNotFoundException.class);
        assertThatCode(() -> triggers.disarm(hourly.id())).doesNotThrowAnyException();
        assertThatCode(() -> triggers.disarm(UUID.randomUUID().toString())).doesNotThrowAnyException();
    }
}
