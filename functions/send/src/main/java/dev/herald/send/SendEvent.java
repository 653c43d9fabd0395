package dev.herald.send;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What invokes the send function: a schedule's input ({@code taskId}, {@code scheduledTime}) or a
 * fire-now ({@code taskId}, {@code trigger} IMMEDIATE). Only ids and times, never a secret.
 */
@Serdeable
public record SendEvent(String taskId, @Nullable String scheduledTime, @Nullable String trigger) {
}
