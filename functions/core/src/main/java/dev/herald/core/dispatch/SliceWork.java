package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Slice;
import dev.herald.core.model.SliceState;
import dev.herald.core.model.Task;
import dev.herald.core.port.Store;
import dev.herald.core.port.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The part one participant plays in sending a fanned-out message: it claims the message's slices one
 * after the other and sends each, until none is left to claim or its deadline nears. A slice it claims
 * once the message is cancelled, past its send-by limit or unsendable, it ends instead: its recipients not
 * sent yet get that outcome. Several participants do this at once (the run that holds the task, and the
 * workers it started), each in its own process at its share of the message system's rate; the one that
 * ends the last slice fires the task, whose run then finishes the message. Once the message is paused,
 * each stops at its next chunk and lets its slice go, open, for the participants a resume starts.
 */
final class SliceWork {

    private static final Logger LOG = LoggerFactory.getLogger(SliceWork.class);

    /**
     * What the participant did: the counts its chunks changed, the throttles it met, whether it stopped near its
     * deadline with slices left, and whether it stopped because the message was paused.
     */
    record Result(Counts recorded, int throttles, boolean handedOver, boolean paused) {
    }

    /** How working one slice ended. */
    private enum Step { SLICE_ENDED, HANDED_OVER, PAUSED }

    /** What one participant works with: the message, and either what sending it needs or why it cannot be sent. */
    record Assignment(Task task, Message message, Prepared prepared, String unsendable, Optional<SendBy> sendBy) {
    }

    private final RunServices services;
    private final Store store;
    private final String runId;
    private final Assignment assignment;
    private final Transport transport;
    private final AdaptiveRateLimiter limiter;
    private final Deadline deadline;
    private final Runnable keepParticipation;
    private final boolean firesTheTaskAtTheEnd;
    private Counts recorded = Counts.ZERO;
    private int throttles;

    /**
     * @param transport            open on the message's system; null when it is unsendable
     * @param keepParticipation    renews whatever else the participant holds (the run holding the task, its claim)
     * @param firesTheTaskAtTheEnd whether the participant fires the task when it ends the last slice (a worker does;
     *                             the run holding the task finishes the message itself)
     */
    SliceWork(RunServices services, String runId, Assignment assignment, Transport transport, AdaptiveRateLimiter limiter,
              Deadline deadline, Runnable keepParticipation, boolean firesTheTaskAtTheEnd) {
        this.services = services;
        this.store = services.store();
        this.runId = runId;
        this.assignment = assignment;
        this.transport = transport;
        this.limiter = limiter;
        this.deadline = deadline;
        this.keepParticipation = keepParticipation;
        this.firesTheTaskAtTheEnd = firesTheTaskAtTheEnd;
    }

    Result run() {
        String messageId = assignment.message().id();
        while (!nearDeadline()) {
            Optional<SliceClaim> next = SliceClaim.claimNext(store, services.clock(), services.settings().taskLease(),
                    messageId, runId);
            if (next.isEmpty()) {
                return new Result(recorded, throttles, false, false);
            }
            Step step = work(next.get());
            if (step != Step.SLICE_ENDED) {
                return new Result(recorded, throttles, step == Step.HANDED_OVER, step == Step.PAUSED);
            }
        }
        boolean left = store.listSlices(messageId).stream().anyMatch(s -> s.state() != SliceState.DONE);
        return new Result(recorded, throttles, left, false);
    }

    /** Sends or ends the claimed slice, or hands it back (open) near the deadline or once the message is paused. */
    private Step work(SliceClaim claim) {
        Slice slice = claim.slice();
        try (RunRecorder recorder = new RunRecorder(store, services.clock(), services.settings().progressInterval(), runId,
                claim)) {
            if (claim.tookOver()) {
                LOG.warn("Run {} took slice {} over from run {}, whose lease ran out", runId, slice.index(), slice.runId());
                try (Stream<Chunk> chunks = chunksOf(slice)) {
                    claim.recount(chunks.map(Chunk::counts).reduce(Counts.ZERO, Counts::plus));
                }
            }
            Message current = claim.add(Counts.ZERO, now());
            Optional<Outcome> ending = endingNow(current);
            if (ending.isEmpty() && current.status() == MessageStatus.PAUSED) {
                claim.release(SliceState.OPEN);
                return Step.PAUSED;
            }
            if (ending.isEmpty()) {
                ChunkSender.Ending sent = send(claim, recorder);
                if (sent == ChunkSender.Ending.HAND_OVER || sent == ChunkSender.Ending.PAUSED) {
                    claim.release(SliceState.OPEN);
                    recorded = recorded.plus(recorder.recorded());
                    return sent == ChunkSender.Ending.PAUSED ? Step.PAUSED : Step.HANDED_OVER;
                }
                ending = sent == ChunkSender.Ending.ALL_SENT ? Optional.empty()
                        : endingNow(claim.add(Counts.ZERO, now()));
            }
            ending.ifPresent(outcome -> RestOfChunks.record(chunksOf(slice), outcome, whyNotResent(outcome),
                    claim.tookOver() ? slice.openedBelow() : 0, recorder));
            claim.release(SliceState.DONE);
            recorded = recorded.plus(recorder.recorded());
        }
        if (firesTheTaskAtTheEnd && store.listSlices(slice.messageId()).stream().allMatch(s -> s.state() == SliceState.DONE)) {
            LOG.info("Run {} ended the last slice of message {}; the task's run finishes it", runId, slice.messageId());
            services.scheduler().fireNow(assignment.task());
        }
        return Step.SLICE_ENDED;
    }

    private ChunkSender.Ending send(SliceClaim claim, RunRecorder recorder) {
        Slice slice = claim.slice();
        ChunkSender.RunControl control = new ChunkSender.RunControl() {
            @Override
            public boolean nearDeadline() {
                return SliceWork.this.nearDeadline();
            }

            @Override
            public void keepClaim() {
                claim.keepLease();
                keepParticipation.run();
            }

            @Override
            public Optional<ChunkSender.Ending> beforeOpening(int chunkIndex, int recipients, int openAtOnce) {
                if (recorder.cancelled()) {
                    return Optional.of(ChunkSender.Ending.CANCELLED);
                }
                if (recorder.paused()) {
                    return Optional.of(ChunkSender.Ending.PAUSED);
                }
                if (assignment.sendBy().isPresent() && assignment.sendBy().get().hasPassed(now())) {
                    return Optional.of(ChunkSender.Ending.EXPIRED);
                }
                claim.openBelow(chunkIndex + openAtOnce);
                return Optional.empty();
            }
        };
        Prepared prepared = assignment.prepared();
        try (ChunkSender sender = new ChunkSender(services, control, recorder, assignment.message(), prepared.system(),
                prepared.templates(), limiter, transport);
             Stream<Chunk> pending = chunksOf(slice).filter(c -> c.state() != ChunkState.DONE)) {
            ChunkSender.Ending ending = sender.sendAll(pending.iterator());
            recorder.finish();
            throttles += sender.throttles();
            return ending;
        }
    }

    /** Why the rest of a slice is not sent, if it is not: the message unsendable, cancelled, or past its send-by limit. */
    private Optional<Outcome> endingNow(Message current) {
        if (assignment.unsendable() != null) {
            return Optional.of(Outcome.failed(assignment.unsendable(), now()));
        }
        if (current.status() == MessageStatus.CANCELLED) {
            return Optional.of(Outcome.cancelled(now()));
        }
        if (assignment.sendBy().isPresent() && assignment.sendBy().get().hasPassed(now())) {
            return Optional.of(Outcome.expired("Expired: " + assignment.sendBy().get().description()
                    + " passed before this mail was sent", now()));
        }
        return Optional.empty();
    }

    private static String whyNotResent(Outcome outcome) {
        return switch (outcome.state()) {
            case CANCELLED -> "the message was cancelled before it was resent";
            case EXPIRED -> "its send-by limit passed before it was resent";
            default -> "not resent, as the message cannot be sent";
        };
    }

    private Stream<Chunk> chunksOf(Slice slice) {
        return store.streamChunks(assignment.message(), new ChunkRange(slice.fromChunk(), slice.toChunk()));
    }

    private boolean nearDeadline() {
        return deadline.remaining().compareTo(services.settings().checkpointMargin()) < 0;
    }

    private Instant now() {
        return services.clock().instant();
    }
}
