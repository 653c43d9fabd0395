package dev.herald.send;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What invokes the send function: a schedule's input ({@code taskId}, {@code scheduledTime}), a
 * fire-now ({@code taskId}, {@code trigger} IMMEDIATE), a worker of a fanned-out task ({@code trigger} WORKER),
 * or the reconciling rule ({@code trigger}
 * RECONCILE, no task). Only ids and times, never a secret.
 */
@Serdeable
public record SendEvent(@Nullable String taskId, @Nullable String scheduledTime, @Nullable String trigger) {

    static final String RECONCILE = "RECONCILE";
}
