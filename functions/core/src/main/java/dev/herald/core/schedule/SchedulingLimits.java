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
 */
public record SchedulingLimits(int maxRecipients, int chunkSize, Duration pastTolerance, Period horizon,
                               Duration idempotencyTtl) {

    public static SchedulingLimits defaults() {
        return new SchedulingLimits(10_000, 100, Duration.ofSeconds(60), Period.ofYears(5), Duration.ofHours(24));
    }

    public SchedulingLimits withHorizon(Period newHorizon) {
        return new SchedulingLimits(maxRecipients, chunkSize, pastTolerance, newHorizon, idempotencyTtl);
    }

    public SchedulingLimits withChunkSize(int newChunkSize) {
        return new SchedulingLimits(maxRecipients, newChunkSize, pastTolerance, horizon, idempotencyTtl);
    }
}
