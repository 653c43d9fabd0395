package dev.herald.core.dispatch;

import dev.herald.core.model.Counts;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Trigger;

import java.time.Duration;

/**
 * The figures of one run at its end, for metrics.
 *
 * @param recipients what the run recorded: recipients sent, failed, unknown, suppressed, expired,
 *                   cancelled (as changes of their counts; no feedback is known yet)
 * @param lateness how long after its instant the task's first run started; null for continuations
 *                 and recoveries, whose start says nothing about the trigger's punctuality
 * @param throttles how many times the provider answered "too fast" during the run
 */
public record RunReport(String messageSystemId, String messageId, String taskId, String runId, Trigger trigger,
                        RunStatus status, Counts recipients, int throttles, Duration lateness, Duration duration) {
}
