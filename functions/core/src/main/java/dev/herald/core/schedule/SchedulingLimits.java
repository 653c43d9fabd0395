package dev.herald.core.schedule;

import java.time.Duration;
import java.time.Period;

/**
 * Limits on what a caller may schedule.
 *
 * @param maxRecipients  recipients in one message
 * @param chunkSize      recipients per chunk: the unit that is claimed, recorded and, after a crash, resent
 * @param pastTolerance  how far in the past a send time may be and still count as "now"
 * @param horizon        how far in the future a send time may be
 * @param idempotencyTtl how long an {@code Idempotency-Key} is remembered
 * @param intakeRenderTime how long rendering the templates for every recipient may take at intake, all
 *                         recipients together (each render has its own limit too)
 */
public record SchedulingLimits(int maxRecipients, int chunkSize, Duration pastTolerance, Period horizon,
                               Duration idempotencyTtl, Duration intakeRenderTime) {

    public static SchedulingLimits defaults() {
        return new SchedulingLimits(10_000, 100, Duration.ofSeconds(60), Period.ofYears(5), Duration.ofHours(24),
                Duration.ofSeconds(5));
    }

    public SchedulingLimits withHorizon(Period newHorizon) {
        return new SchedulingLimits(maxRecipients, chunkSize, pastTolerance, newHorizon, idempotencyTtl, intakeRenderTime);
    }

    public SchedulingLimits withChunkSize(int newChunkSize) {
        return new SchedulingLimits(maxRecipients, newChunkSize, pastTolerance, horizon, idempotencyTtl, intakeRenderTime);
    }

    public SchedulingLimits withIntakeRenderTime(Duration newIntakeRenderTime) {
        return new SchedulingLimits(maxRecipients, chunkSize, pastTolerance, horizon, idempotencyTtl, newIntakeRenderTime);
    }
}
