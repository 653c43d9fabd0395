package dev.herald.aws;

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
}
