package dev.herald.send;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What invokes the send function: a schedule's input ({@code taskId}, {@code scheduledTime}), a
 * fire-now ({@code taskId}, {@code trigger} IMMEDIATE), a worker of a fanned-out task ({@code trigger} WORKER),
 * the reconciling rule ({@code trigger} RECONCILE, no task), or a recurring schedule's occurrence
 * ({@code recurringScheduleId}, {@code scheduledTime}). Only ids and times, never a secret.
 */
@Serdeable
public record SendEvent(@Nullable String taskId, @Nullable String scheduledTime, @Nullable String trigger,
                        @Nullable String recurringScheduleId) {

    /** A task's firing. */
    public SendEvent(String taskId, String scheduledTime, String trigger) {
        this(taskId, scheduledTime, trigger, null);
    }

    static final String RECONCILE = "RECONCILE";
}
