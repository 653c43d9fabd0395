package dev.herald.aws;

import dev.herald.core.error.SchedulerException;
import dev.herald.core.model.Task;
import dev.herald.core.port.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ActionAfterCompletion;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindow;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;
import software.amazon.awssdk.services.scheduler.model.Target;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * One EventBridge Scheduler one-time schedule per task: {@code at()} in UTC, no flexible window,
 * deleted after it fires, in the group named by the task's category, targeting the send function
 * with only the task id. Arming twice, or disarming what is gone, succeeds. A category's group is
 * created before its first schedule, once per instance.
 * <p>
 * EventBridge fires a one-time schedule somewhere within the minute after its {@code at()} time, so
 * each schedule is set {@link SchedulerSettings#armingLead()} before the task's instant and the send
 * function waits for the instant itself. A task due sooner than that is fired at once, and waits the
 * same way.
 */
public final class EventBridgeTaskScheduler implements TaskScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeTaskScheduler.class);
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Schedule names and client tokens allow these characters; task ids are UUIDs. */
    private static final Pattern SAFE_ID = Pattern.compile("[0-9A-Za-z_-]{1,56}");

    private final SchedulerClient scheduler;
    private final LambdaClient lambda;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final ScheduleGroups groups;

    public EventBridgeTaskScheduler(SchedulerClient scheduler, LambdaClient lambda, SchedulerSettings settings, Clock clock) {
        this.scheduler = scheduler;
        this.lambda = lambda;
        this.settings = settings;
        this.clock = clock;
        this.groups = new ScheduleGroups(scheduler);
    }

    static String scheduleName(Task task) {
        if (!SAFE_ID.matcher(task.id()).matches()) {
            throw new IllegalArgumentException("task id is not usable in a schedule name: " + task.id());
        }
        return "herald-" + task.id();
    }

    /** The task's schedule group: Herald's prefix and the message system's category. */
    String groupName(Task task) {
        return settings.groupPrefix() + task.category();
    }

    String atExpression(Task task) {
        return "at(" + AT.format(armingTime(task)) + ")";
    }

    private Instant armingTime(Task task) {
        return task.fireAt().minus(settings.armingLead());
    }

    /** Whether the schedule would be due already: such a task is fired at once instead. */
    private boolean dueWithinTheLead(Task task) {
        return !armingTime(task).isAfter(clock.instant());
    }

    private Target target(Task task) {
        return settings.target("{\"taskId\":\"" + task.id() + "\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}");
    }

    @Override
    public void arm(Task task) {
        String name = scheduleName(task);
        if (dueWithinTheLead(task)) {
            fireNow(task);
            return;
        }
        groups.inGroup(groupName(task), () -> createSchedule(task, name));
    }

    private void createSchedule(Task task, String name) {
        try {
            scheduler.createSchedule(r -> r.name(name)
                    .groupName(groupName(task))
                    .scheduleExpression(atExpression(task))
                    .scheduleExpressionTimezone("UTC")
                    .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    .target(target(task))
                    .kmsKeyArn(settings.kmsKeyArn())
                    .clientToken(name));
            LOG.info("Armed schedule {} in group {} for {}", name, groupName(task), task.fireAt());
        } catch (ConflictException alreadyThere) {
            LOG.info("Schedule {} exists already: task {} is armed", name, task.id());
        } catch (ResourceNotFoundException noGroup) {
            throw noGroup;
        } catch (SdkException e) {
            throw new SchedulerException("Cannot create schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the whole definition (UpdateSchedule keeps nothing); a schedule that is gone is created anew. */
    @Override
    public void rearm(Task task) {
        String name = scheduleName(task);
        if (dueWithinTheLead(task)) {
            disarm(task);
            fireNow(task);
            return;
        }
        try {
            scheduler.updateSchedule(r -> r.name(name)
                    .groupName(groupName(task))
                    .scheduleExpression(atExpression(task))
                    .scheduleExpressionTimezone("UTC")
                    .flexibleTimeWindow(FlexibleTimeWindow.builder().mode(FlexibleTimeWindowMode.OFF).build())
                    .actionAfterCompletion(ActionAfterCompletion.DELETE)
                    .target(target(task))
                    .kmsKeyArn(settings.kmsKeyArn()));
            LOG.info("Moved schedule {} to {}", name, task.fireAt());
        } catch (ResourceNotFoundException gone) {
            arm(task);
        } catch (SdkException e) {
            throw new SchedulerException("Cannot update schedule " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void disarm(Task task) {
        String name = scheduleName(task);
        try {
            scheduler.deleteSchedule(r -> r.name(name).groupName(groupName(task)));
            LOG.info("Deleted schedule {}", name);
        } catch (ResourceNotFoundException alreadyGone) {
            LOG.info("Schedule {} is gone already", name);
        } catch (SdkException e) {
            throw new SchedulerException("Cannot delete schedule " + name + ": " + e.getMessage(), e);
        }
    }

    /** An asynchronous invocation of the send function, with the same input as a schedule's. */
    @Override
    public void fireNow(Task task) {
        invoke(task, "IMMEDIATE");
    }

    /** One asynchronous invocation of the send function a worker: Lambda runs each in an execution environment of its own. */
    @Override
    public void fireWorkers(Task task, int count) {
        for (int i = 0; i < count; i++) {
            invoke(task, "WORKER");
        }
    }

    private void invoke(Task task, String trigger) {
        try {
            lambda.invoke(r -> r.functionName(settings.sendFunctionArn())
                    .invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"taskId\":\"" + task.id() + "\",\"trigger\":\"" + trigger + "\"}")));
        } catch (SdkException e) {
            throw new SchedulerException("Cannot invoke the send function for task " + task.id() + ": " + e.getMessage(), e);
        }
    }
}
