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
 * @param fanOut               when a message is sent by several workers at once
 */
public record DispatchSettings(Duration taskLease, Duration checkpointMargin, Duration earlyFiringTolerance,
                               Duration earlyWait,
                               Duration initialBackoff, Duration maxBackoff, int maxTransientAttempts,
                               double minSendRate, double defaultSendRate, Duration progressInterval,
                               FanOutSettings fanOut) {

    /**
     * A message fans out when its system's rate is more than one worker sends ({@code workerRate} mails a
     * second: a worker's process has a fraction of a core), into slices of {@code sliceChunks} chunks, sent by
     * as many workers as the rate needs, at most {@code maxWorkers} and one a slice. An infinite worker rate:
     * a message never fans out.
     */
    public record FanOutSettings(double workerRate, int maxWorkers, int sliceChunks) {

        public static FanOutSettings never() {
            return new FanOutSettings(Double.POSITIVE_INFINITY, 1, 100);
        }

        /** How many workers a message of {@code chunks} chunks needs at {@code rate}: 1 when it does not fan out. */
        int workersFor(double rate, int chunks) {
            int slices = slicesOf(chunks);
            return (int) Math.max(1, Math.min(Math.min(maxWorkers, slices), Math.ceil(rate / workerRate)));
        }

        int slicesOf(int chunks) {
            return (chunks + sliceChunks - 1) / sliceChunks;
        }
    }

    public static DispatchSettings defaults() {
        return new DispatchSettings(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ZERO,
                Duration.ofMillis(200), Duration.ofSeconds(20), 5, 0.1, 14, Duration.ofSeconds(1), FanOutSettings.never());
    }

    public DispatchSettings withFanOut(FanOutSettings newFanOut) {
        return new DispatchSettings(taskLease, checkpointMargin, earlyFiringTolerance, earlyWait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval, newFanOut);
    }

    public DispatchSettings withBackoff(Duration initial, Duration max) {
        return new DispatchSettings(taskLease, checkpointMargin, earlyFiringTolerance, earlyWait, initial, max,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval, fanOut);
    }

    public DispatchSettings withTaskLease(Duration lease) {
        return new DispatchSettings(lease, checkpointMargin, earlyFiringTolerance, earlyWait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval, fanOut);
    }

    public DispatchSettings withCheckpointMargin(Duration margin) {
        return new DispatchSettings(taskLease, margin, earlyFiringTolerance, earlyWait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval, fanOut);
    }

    public DispatchSettings withEarlyWait(Duration wait) {
        return new DispatchSettings(taskLease, checkpointMargin, earlyFiringTolerance, wait, initialBackoff, maxBackoff,
                maxTransientAttempts, minSendRate, defaultSendRate, progressInterval, fanOut);
    }
}
