package dev.herald.api;

import dev.herald.aws.FunctionSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.time.Period;

/** Settings of the API function, from its environment (HERALD_SCHEDULER_ROLE_ARN, ...). */
@ConfigurationProperties("herald")
public interface ApiConfiguration extends FunctionSettings {

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

    /** The JWT claim holding the caller's groups. */
    @NotBlank
    @Bindable(defaultValue = "cognito:groups")
    String getGroupsClaim();

    @NotNull
    @Bindable(defaultValue = "P5Y")
    Period getSchedulingHorizon();

    /** How close two occurrences of a recurring schedule may come at most. */
    @NotNull
    @Bindable(defaultValue = "PT1H")
    Duration getRecurringMinimumInterval();
}
