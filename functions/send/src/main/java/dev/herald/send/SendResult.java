package dev.herald.send;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * How the invocation ended, for the Lambda console and the tests: a firing's run and counts; for
 * a reconciling, how many tasks it fired; for a recurring schedule's occurrence, the message it created.
 */
@Serdeable
public record SendResult(String outcome, @Nullable String runId, int sent, int failed, int unknown, int tasksFired,
                         @Nullable String messageId) {
}
