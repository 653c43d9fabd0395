package dev.herald.core.dispatch;

import dev.herald.core.model.Trigger;

import java.time.Instant;

/** A trigger firing for a task; {@code scheduledTime} is when the trigger was due, when known. */
public record FireRequest(String taskId, Trigger trigger, Instant scheduledTime) {
}
