package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Recipient;
import dev.herald.core.port.Store;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes what one run did to the message's chunks and to its counts. A chunk the sender is done
 * with is saved by one conditional write, on a thread of the recorder's own, so that the sending
 * goes on meanwhile; the counts those chunks add go to the run's {@link CountsSink} (the message's
 * counts, or a slice's) at most once a progress interval (and after the first chunk), in the same read
 * and write that tells whether the message was cancelled. Between two such writes the counts lag by
 * what the chunks saved since add; a run that takes over from a dead one counts them again from the chunks.
 */
final class RunRecorder implements AutoCloseable {

    /** Where the run's counts go. */
    @FunctionalInterface
    interface CountsSink {
        /** Adds {@code delta} (nothing when it is zero) where the counts are kept; answers the message as it is now. */
        Message add(Counts delta, Instant now);
    }

    private final Store store;
    private final Clock clock;
    private final Duration progressInterval;
    private final String runId;
    private final CountsSink sink;
    private ExecutorService writer;
    /** Chunks handed in and not saved yet. */
    private int unsaved;
    /** What stopped the writer: rethrown to the run at its next call, as if it had happened there. */
    private Throwable failure;
    /** The message's status as of the last write of the counts: how the run learns of a cancel or a pause. */
    private volatile MessageStatus statusSeen;
    /** The change the run's saved chunks made: all of them, and the part not in the message yet. */
    private Counts recorded = Counts.ZERO;
    private Counts unflushed = Counts.ZERO;
    private Instant lastFlush;

    RunRecorder(Store store, Clock clock, Duration progressInterval, String runId, CountsSink sink) {
        this.store = store;
        this.clock = clock;
        this.progressInterval = progressInterval;
        this.runId = runId;
        this.sink = sink;
    }

    /** Counts kept in the message itself. */
    static CountsSink intoMessage(Store store, String messageId) {
        return (delta, now) -> delta.equals(Counts.ZERO) ? store.findMessage(messageId).orElseThrow()
                : MessageUpdates.apply(store, messageId, m -> m.withCounts(m.counts().plus(delta), now));
    }

    /**
     * Takes a chunk for sending. At most once, it is marked in flight first (one write), and the
     * recipients a dead run left in flight become unknown: they may have been sent. At least once,
     * nothing is written: a run that dies before saving it leaves it to be sent again.
     */
    Chunk claim(Chunk chunk, DeliveryGuarantee delivery) {
        if (delivery != DeliveryGuarantee.AT_MOST_ONCE) {
            return chunk;
        }
        List<Recipient> recipients = chunk.recipients();
        if (chunk.state() == ChunkState.IN_FLIGHT) {
            Instant now = clock.instant();
            recipients = recipients.stream()
                    .map(r -> r.isPending() ? r.withOutcome(Outcome.unknown(
                            "InterruptedInFlight: a run died while sending; not resent (at-most-once)", now)) : r)
                    .toList();
        }
        Chunk claimed = write(chunk, chunk.with(recipients, ChunkState.IN_FLIGHT, runId, clock.instant()));
        added(claimed.counts().minus(chunk.counts()));
        return claimed;
    }

    /**
     * Hands in a chunk, as {@code claimed} was read or claimed, with its recipients as they are now;
     * answers what completes once the write is over (a failed one too: the run's next call here rethrows it).
     */
    CompletableFuture<Void> record(Chunk claimed, List<Recipient> recipients, ChunkState state) {
        Chunk done = claimed.with(recipients, state, state == ChunkState.DONE ? null : runId, clock.instant());
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        CompletableFuture<Void> written = new CompletableFuture<>();
        synchronized (this) {
            rethrowFailure();
            unsaved++;
            writer().execute(() -> {
                if (logContext != null) {
                    MDC.setContextMap(logContext);
                }
                try {
                    save(claimed, done);
                } catch (Throwable e) { // an Error too: the run dies of it, on its own thread
                    synchronized (this) {
                        failure = e;
                        notifyAll();
                    }
                } finally {
                    MDC.clear();
                    written.complete(null);
                }
            });
        }
        return written;
    }

    /** How many chunks are handed in and not saved yet. */
    synchronized int unsaved() {
        rethrowFailure();
        return unsaved;
    }

    /** Waits until at most {@code chunks} are handed in and not saved yet. */
    synchronized void awaitUnsavedAtMost(int chunks) throws InterruptedException {
        while (unsaved > chunks) {
            rethrowFailure();
            wait();
        }
        rethrowFailure();
    }

    /** Saves every chunk handed in, and writes into the message what they add. */
    void finish() {
        try {
            awaitUnsavedAtMost(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the run's chunks were saved", e);
        }
        flush();
    }

    /** Whether the message was cancelled, as of the last write of the counts. */
    boolean cancelled() {
        return statusSeen == MessageStatus.CANCELLED;
    }

    /** Whether the message was paused, as of the last write of the counts. */
    boolean paused() {
        return statusSeen == MessageStatus.PAUSED;
    }

    synchronized Counts recorded() {
        return recorded;
    }

    private void save(Chunk claimed, Chunk done) {
        Chunk saved = write(claimed, done);
        added(saved.counts().minus(claimed.counts()));
        Instant now = clock.instant();
        if (lastFlush == null || Duration.between(lastFlush, now).compareTo(progressInterval) >= 0) {
            flush();
        }
        synchronized (this) {
            unsaved--;
            notifyAll();
        }
    }

    private synchronized void added(Counts delta) {
        recorded = recorded.plus(delta);
        unflushed = unflushed.plus(delta);
    }

    private void flush() {
        Counts delta;
        synchronized (this) {
            delta = unflushed;
            unflushed = Counts.ZERO;
        }
        Instant now = clock.instant();
        lastFlush = now;
        statusSeen = sink.add(delta, now).status();
    }

    private Chunk write(Chunk current, Chunk changed) {
        return store.updateChunk(changed).orElseThrow(() -> new LostClaimException("chunk " + current.index()));
    }

    private void rethrowFailure() {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof RuntimeException exception) {
            throw exception;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private ExecutorService writer() {
        if (writer == null) {
            writer = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "herald-recorder");
                thread.setDaemon(true);
                return thread;
            });
        }
        return writer;
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            writer.shutdownNow();
        }
    }
}
