package dev.herald.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.time.Period;

/** Settings of the API function, from its environment (HERALD_TABLE, HERALD_SEND_FUNCTION_ARN, ...). */
@ConfigurationProperties("herald")
public interface ApiConfiguration {

    @NotBlank
    String getTable();

    /** The KMS key job-account passwords are encrypted under (the API role may only encrypt). */
    @NotBlank
    String getKmsKeyId();

    /** The send function's alias ARN: every schedule's target. */
    @NotBlank
    String getSendFunctionArn();

    /** The role EventBridge Scheduler assumes to invoke the send function. */
    @NotBlank
    String getSchedulerRoleArn();

    @Nullable
    String getDeadLetterQueueArn();

    /** What Herald's schedule groups are called: this and a message system's category. */
    @NotBlank
    @Bindable(defaultValue = "herald-")
    String getScheduleGroupPrefix();

    /** The key schedules are encrypted with at rest, or none (or blank) for an AWS-owned key. */
    @Nullable
    String getScheduleKmsKeyArn();

    /** How late a schedule's firing may still be delivered. */
    @NotNull
    @Bindable(defaultValue = "PT6H")
    Duration getMaximumEventAge();

    /** How long before a task's instant its schedule is set (EventBridge fires within the minute after). */
    @NotNull
    @Bindable(defaultValue = "PT1M")
    Duration getArmingLead();

    /** The JWT claim holding the caller's groups. */
    @NotBlank
    @Bindable(defaultValue = "cognito:groups")
    String getGroupsClaim();

    @NotNull
    @Bindable(defaultValue = "P5Y")
    Period getSchedulingHorizon();
}
