package dev.herald.aws;

import dev.herald.core.error.SchedulerException;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.port.RecurringTriggers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.ScheduleState;

import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One EventBridge Scheduler recurring schedule per Herald recurring schedule, in Herald's group
 * {@code <prefix>recurring}: its {@code cron(...)} or {@code rate(...)} read in its zone
 * ({@code ScheduleExpressionTimezone}), its start and end, no flexible window, DISABLED while it is paused. Its
 * target is the send function with the schedule's id and the occurrence's time, which EventBridge puts in for
 * {@code <aws.scheduler.scheduled-time>}. A start already past is left out (EventBridge refuses a StartDate far in
 * the past; a cron needs none, and a rate then counts from when EventBridge takes the schedule).
 */
public final class EventBridgeRecurringTriggers implements RecurringTriggers {

    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeRecurringTriggers.class);
    static final String GROUP = "recurring";
    /** Schedule ids are UUIDs; a schedule's name allows 64 of these characters. */
    private static final Pattern SAFE_ID = Pattern.compile("[0-9A-Za-z_-]{1,47}");

    private final SchedulerClient scheduler;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final ScheduleGroups groups;

    public EventBridgeRecurringTriggers(SchedulerClient scheduler, SchedulerSettings settings, Clock clock) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.clock = clock;
        this.groups = new ScheduleGroups(scheduler);
    }

    static String scheduleName(String scheduleId) {
        if (!SAFE_ID.matcher(scheduleId).matches()) {
            throw new IllegalArgumentException("schedule id is not usable in a schedule name: " + scheduleId);
        }
        return "herald-recurring-" + scheduleId;
    }

    String groupName() {
        return settings.groupPrefix() + GROUP;
    }

    /** Updates the schedule's definition (UpdateSchedule replaces all of it), or creates it when there is none. */
    @Override
    public void arm(RecurringSchedule schedule) {
        String name = scheduleName(schedule.id());
        try {
            update(schedule, name);
        } catch (ResourceNotFoundException none) {
            groups.inGroup(groupName(), () -> create(schedule, name));
        } catch (SdkException e) {
            throw new SchedulerException("Cannot update schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /** The schedule's start, when it is still ahead: EventBridge refuses a StartDate long past, and needs none then. */
    private Instant startDate(RecurringSchedule schedule) {
        return schedule.start() != null && schedule.start().isAfter(clock.instant()) ? schedule.start() : null;
    }

    private void update(RecurringSchedule schedule, String name) {
        scheduler.updateSchedule(r -> r.name(name).groupName(groupName())
                .scheduleExpression(schedule.expression())
                .scheduleExpressionTimezone(schedule.timeZone())
                .startDate(startDate(schedule))
                .endDate(schedule.end())
                .state(state(schedule))
                .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                .target(settings.target(input(schedule)))
                .kmsKeyArn(settings.kmsKeyArn()));
        LOG.info("Set recurring schedule {}: {} in {}, {}", name, schedule.expression(), schedule.timeZone(), state(schedule));
    }

    private void create(RecurringSchedule schedule, String name) {
        try {
            scheduler.createSchedule(r -> r.name(name).groupName(groupName())
                    .scheduleExpression(schedule.expression())
                    .scheduleExpressionTimezone(schedule.timeZone())
                    .startDate(startDate(schedule))
                    .endDate(schedule.end())
                    .state(state(schedule))
                    .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                    .target(settings.target(input(schedule)))
                    .kmsKeyArn(settings.kmsKeyArn())
                    .clientToken(name + "-" + schedule.version()));
            LOG.info("Armed recurring schedule {}: {} in {}", name, schedule.expression(), schedule.timeZone());
        } catch (ConflictException createdMeanwhile) {
            update(schedule, name);
        } catch (ResourceNotFoundException noGroup) {
            throw noGroup;
        } catch (SdkException e) {
            throw new SchedulerException("Cannot create schedule " + name + ": " + e.getMessage(), e);
        }
    }

    private static ScheduleState state(RecurringSchedule schedule) {
        return schedule.state() == RecurringScheduleState.PAUSED ? ScheduleState.DISABLED : ScheduleState.ENABLED;
    }

    private static String input(RecurringSchedule schedule) {
        return "{\"recurringScheduleId\":\"" + schedule.id() + "\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}";
    }

    @Override
    public void disarm(String scheduleId) {
        String name = scheduleName(scheduleId);
        try {
            scheduler.deleteSchedule(r -> r.name(name).groupName(groupName()));
            LOG.info("Deleted recurring schedule {}", name);
        } catch (ResourceNotFoundException alreadyGone) {
            LOG.info("Recurring schedule {} is gone already", name);
        } catch (SdkException e) {
            throw new SchedulerException("Cannot delete schedule " + name + ": " + e.getMessage(), e);
        }
    }
}
