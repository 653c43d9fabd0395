package dev.herald.send;

import dev.herald.aws.FunctionSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** Settings of the send function, from its environment (HERALD_CHECKPOINT_MARGIN, ...). */
@ConfigurationProperties("herald")
@Requires(property = "herald.send-function-arn") // not in the feedback function, which shares the jar
public interface SendConfiguration extends FunctionSettings {

    /** The CloudWatch namespace of the run metrics: one per deployment, so that stages do not mix. */
    @NotBlank
    @Bindable(defaultValue = "Herald")
    String getMetricsNamespace();

    /** Below this much remaining Lambda time a run checkpoints and continues in a fresh invocation. */
    @NotNull
    @Bindable(defaultValue = "PT30S")
    Duration getCheckpointMargin();

    /**
     * How many mails a second one invocation sends (HERALD_WORKER_RATE): a message system whose rate is more than
     * that has its large messages sent by several invocations at once, each at its share of the rate.
     */
    @Bindable(defaultValue = "400")
    double getWorkerRate();

    /** The most invocations that send one message at once (HERALD_MAX_WORKERS). */
    @Bindable(defaultValue = "10")
    int getMaxWorkers();

    /**
     * Where the HTTP API answers (HERALD_PUBLIC_URL), its custom domain or its execute-api URL:
     * the unsubscribe links in mail point there.
     */
    @NotBlank
    String getPublicUrl();

    /**
     * The SES configuration set mail goes through unless its message system names its own
     * (HERALD_SES_CONFIGURATION_SET): the stack's, which publishes SES's events to Herald.
     */
    @Nullable
    String getSesConfigurationSet();

    /** What Herald's schedule groups are called (HERALD_SCHEDULE_GROUP_PREFIX): a recurring schedule of a deleted one is removed from its group. */
    @NotBlank
    @Bindable(defaultValue = "herald-")
    String getScheduleGroupPrefix();
}
