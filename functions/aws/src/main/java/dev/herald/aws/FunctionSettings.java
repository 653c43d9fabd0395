package dev.herald.aws;

import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * What both Lambda functions are told by their environment (HERALD_TABLE, HERALD_KMS_KEY_ID,
 * HERALD_UNSUBSCRIBE_SECRET_ARN, HERALD_SEND_FUNCTION_ARN, HERALD_ARMING_LEAD,
 * HERALD_MAXIMUM_EVENT_AGE); each function's settings extend it.
 */
public interface FunctionSettings {

    /** The DynamoDB table. */
    @NotBlank
    String getTable();

    /** The KMS key job-account passwords are encrypted under: the API may only encrypt, the send function only decrypt. */
    @NotBlank
    String getKmsKeyId();

    /** The secret the unsubscribe links' key derives from (HERALD_UNSUBSCRIBE_SECRET_ARN). */
    @NotBlank
    String getUnsubscribeSecretArn();

    /** The send function's alias ARN: every schedule's target, and every continuation's. */
    @NotBlank
    String getSendFunctionArn();

    /** How long before a task's instant its schedule fires (EventBridge fires within the minute after). */
    @NotNull
    @Bindable(defaultValue = "PT1M")
    Duration getArmingLead();

    /** How late a schedule's firing may still be delivered; a message that never started stays unsent after it. */
    @NotNull
    @Bindable(defaultValue = "PT6H")
    Duration getMaximumEventAge();
}
