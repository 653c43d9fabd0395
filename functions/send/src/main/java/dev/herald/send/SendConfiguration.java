package dev.herald.send;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/** Settings of the send function, from its environment (HERALD_TABLE, HERALD_KMS_KEY_ID, ...). */
@ConfigurationProperties("herald")
public interface SendConfiguration {

    /** The DynamoDB table. */
    @NotBlank
    String getTable();

    /** The KMS key job-account passwords are encrypted under; absent, KMS takes it from each ciphertext. */
    @Nullable
    String getKmsKeyId();

    /** This function's alias ARN: continuations invoke it. */
    @NotBlank
    String getSendFunctionArn();

    /** How long before its instant a task's schedule fires, at most: the API function's arming lead. */
    @NotNull
    @Bindable(defaultValue = "PT1M")
    Duration getArmingLead();

    /** The CloudWatch namespace of the run metrics: one per deployment, so that stages do not mix. */
    @NotBlank
    @Bindable(defaultValue = "Herald")
    String getMetricsNamespace();

    /** Below this much remaining Lambda time a run checkpoints and continues in a fresh invocation. */
    @NotNull
    @Bindable(defaultValue = "PT30S")
    Duration getCheckpointMargin();
}
