package dev.herald.core.dispatch;

import java.time.Duration;

/**
 * Tuning of the dispatch.
 *
 * @param taskLease            how long a claim holds without renewal before another run may take the task over
 * @param checkpointMargin     below this much remaining time a run checkpoints and hands over
 * @param earlyFiringTolerance a firing this close before the task's instant counts as on time
 * @param earlyWait            a firing earlier than that, but by at most this, waits for the instant (a trigger
 *                             armed early to make up for its provider's imprecision); an earlier one is stale
 *                             and ignored
 * @param initialBackoff       first wait before retrying throttled or transiently failed mails
 * @param maxBackoff           longest wait between retries
 * @param maxTransientAttempts attempts of a transiently failing mail before it is recorded as failed
 * @param minSendRate          the adaptive rate never drops below this (mails per second)
 * @param defaultSendRate      the rate of a system that leaves it to a provider which tells none (SES's
 *                             starting production quota)
 * @param progressInterval     how often at most a run writes its counts into the message, and so reads
 *                             whether the message was cancelled
 */
public record DispatchSettings(Duration taskLease, Duration checkpointMargin, Duration earlyFiringTolerance,
                               Duration earlyWait,
                               Duration initialBackoff, Duration maxBackoff, int maxTransientAttempts,
                               double minSendRate, double defaultSendRate, Duration progressInterval) {

    public static DispatchSettings defaults() {
        return new DispatchSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO,
                Duration.ofMillis(200), Duration.ofSeconds(20), 5, 0.1, 14, Duration.ofSeconds(1));
    }

    public DispatchSettings withBackoff(Duration initial, Duration max) {
        return new DispatchSettings(taskLease, checkpointMargin, earlyFiringTolerance, earlyWait, initial, max,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval);
    }

    public DispatchSettings withTaskLease(Duration lease) {
        return new DispatchSettings(lease, checkpointMargin, earlyFiringTolerance, earlyWait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval);
    }

    public DispatchSettings withCheckpointMargin(Duration margin) {
        return new DispatchSettings(taskLease, margin, earlyFiringTolerance, earlyWait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval);
    }

    public DispatchSettings withEarlyWait(Duration wait) {
        return new DispatchSettings(taskLease, checkpointMargin, earlyFiringTolerance, wait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval);
    }
}
