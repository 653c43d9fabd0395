package dev.herald.aws;

import software.amazon.awssdk.services.scheduler.model.DeadLetterConfig;
import software.amazon.awssdk.services.scheduler.model.RetryPolicy;
import software.amazon.awssdk.services.scheduler.model.Target;

import java.time.Duration;

/**
 * Where schedules send their firings, and how they retry.
 *
 * @param sendFunctionArn    the send function's alias ARN, the schedules' target
 * @param schedulerRoleArn   the role EventBridge Scheduler assumes to invoke it
 * @param deadLetterQueueArn where firings that could not be delivered go
 * @param maximumEventAge    how late a firing may still be delivered (60 s to 24 h), so a stale blast is dropped
 * @param kmsKeyArn          the key that encrypts schedules at rest, or null for an AWS-owned key
 * @param groupPrefix        what schedule group names start with: a group is this and a message system's
 *                           category, so that Herald's permissions can be confined to its own groups
 * @param armingLead         how long before a task's instant its schedule is set (EventBridge fires within
 *                           the minute after it; the send function waits for the instant); zero arms on time
 */
public record SchedulerSettings(String sendFunctionArn, String schedulerRoleArn, String deadLetterQueueArn,
                                Duration maximumEventAge, String kmsKeyArn, String groupPrefix,
                                Duration armingLead) {

    public static final Duration DEFAULT_MAXIMUM_EVENT_AGE = Duration.ofHours(6);
    public static final Duration DEFAULT_ARMING_LEAD = Duration.ofMinutes(1);
    public static final String DEFAULT_GROUP_PREFIX = "herald-";
    /** EventBridge Scheduler's most: a firing is retried until it is delivered or too old. */
    private static final int MAXIMUM_RETRY_ATTEMPTS = 185;

    /** What every Herald schedule targets: the send function, with {@code input}, retried until it is too old. */
    public Target target(String input) {
        Target.Builder target = Target.builder()
                .arn(sendFunctionArn)
                .roleArn(schedulerRoleArn)
                .input(input)
                .retryPolicy(RetryPolicy.builder()
                        .maximumEventAgeInSeconds((int) maximumEventAge.toSeconds())
                        .maximumRetryAttempts(MAXIMUM_RETRY_ATTEMPTS).build());
        if (deadLetterQueueArn != null) {
            target.deadLetterConfig(DeadLetterConfig.builder().arn(deadLetterQueueArn).build());
        }
        return target.build();
    }
}
