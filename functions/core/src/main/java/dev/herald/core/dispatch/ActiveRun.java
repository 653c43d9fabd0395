package dev.herald.core.dispatch;

import dev.herald.core.error.CipherException;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Store;
import dev.herald.core.port.Transport;
import dev.herald.core.render.MessageTemplates;
import dev.herald.core.render.TemplateRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run of the dispatch, from its claim to its end: holds the task claim and the run's record,
 * walks the message's chunks, and hands each to its {@link ChunkSender}.
 */
final class ActiveRun implements ChunkSender.RunControl {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveRun.class);
    /** Chunks an ending run lets the recorder fall behind by: a few, never the whole message in memory. */
    private static final int ENDING_BACKLOG = 4;

    private final RunServices services;
    private final Store store;
    private final DispatchSettings settings;
    private final FireRequest request;
    private final String runId;
    private final Instant claimedAt;
    private Deadline deadline;
    private Task task;
    private Run run;
    private final RunRecorder recorder;
    /** The chunks below this index may have been sent to, in part, by runs that died before saving them. */
    private int deadRunsOpenedBelow;
    /** The send-by limit of the message, if it has one; known once the run delivers. */
    private Optional<SendBy> sendBy = Optional.empty();
    /** The run's sender, once it sends (null until then: the run may end before). */
    private ChunkSender sender;

    /** The run of a task claimed at {@code claimedAt}: the instant its run record gives as its start. */
    ActiveRun(RunServices services, Task claimedTask, String runId, FireRequest request, Instant claimedAt) {
        this.services = services;
        this.store = services.store();
        this.settings = services.settings();
        this.task = claimedTask;
        this.runId = runId;
        this.request = request;
        this.claimedAt = claimedAt;
        this.recorder = new RunRecorder(store, services.clock(), settings.progressInterval(), claimedTask.messageId(),
                runId);
    }

    String runId() {
        return runId;
    }

    String messageId() {
        return task.messageId();
    }

    DispatchResult execute(Deadline runDeadline) {
        this.deadline = runDeadline;
        Optional<Message> found = store.findMessage(task.messageId());
        start(found.map(Message::status).orElse(null));
        boolean tookOver = closeAbandonedRuns();
        try (recorder) {
            if (found.isEmpty()) {
                return failWithoutMessage();
            }
            Message message = found.get();
            if (tookOver) {
                message = recountFromTheChunks(message);
            }
            if (message.status() == MessageStatus.CANCELLED) {
                return cancelRest();
            }
            if (message.status() == MessageStatus.SCHEDULED) {
                message = recorder.updateMessage(m -> m.status() == MessageStatus.SCHEDULED
                        ? m.withStatus(MessageStatus.SENDING, now()) : m);
            }
            return deliver(message);
        } catch (LostClaimException e) {
            LOG.warn("Run {} lost its claim on task {}: another run took it over", runId, task.id());
            return new DispatchResult(DispatchResult.Outcome.LOST_CLAIM, runId, runCounts());
        }
    }

    /**
     * A dead run may have saved chunks whose counts it had not written into the message yet: the
     * counts are summed again from the chunks, a page at a time.
     */
    private Message recountFromTheChunks(Message message) {
        Counts counts;
        try (Stream<Chunk> chunks = store.streamChunks(message)) {
            counts = chunks.map(Chunk::counts).reduce(Counts.ZERO, Counts::plus);
        }
        return recorder.updateMessage(m -> m.withCounts(counts, now()));
    }

    private void start(MessageStatus messageStatus) {
        Trigger trigger = request.trigger() == Trigger.IMMEDIATE && messageStatus == MessageStatus.SENDING
                ? Trigger.CONTINUATION : request.trigger();
        Instant scheduledFor = request.scheduledTime() == null ? task.fireAt() : request.scheduledTime();
        run = new Run(runId, task.id(), task.messageId(), trigger, RunStatus.RUNNING, scheduledFor, claimedAt, null,
                0, 0, 0, null, 0, 0);
        store.insertRun(run);
        LOG.info("Run {} ({}) claimed task {}, {} ms after its instant", runId, trigger, task.id(),
                Duration.between(task.fireAt(), run.startedAt()).toMillis());
    }

    /**
     * Only the run holding the task's claim is alive: any other run of the task still recorded as
     * running died before it recorded its end (whatever moment it died at, even between a takeover's
     * claim and its run record). Record their ends, so that no run stays RUNNING.
     */
    private boolean closeAbandonedRuns() {
        List<Run> others = store.listRuns(task.messageId()).stream()
                .filter(r -> r.taskId().equals(task.id()) && !r.id().equals(runId)).toList();
        // A run of a task that goes on ended FAILED only when it was found abandoned: it died too.
        deadRunsOpenedBelow = others.stream().filter(r -> r.status() == RunStatus.RUNNING || r.status() == RunStatus.FAILED)
                .mapToInt(Run::openedBelow).max().orElse(0);
        List<Run> abandoned = others.stream().filter(r -> r.status() == RunStatus.RUNNING).toList();
        abandoned.forEach(dead -> store.updateRun(dead.finish(RunStatus.FAILED, dead.sent(), dead.failed(),
                dead.unknown(), "Abandoned: it died before recording its end; run " + runId + " took the task over",
                now())));
        return !abandoned.isEmpty();
    }

    private DispatchResult deliver(Message message) {
        Optional<MessageSystem> system = store.findMessageSystem(message.messageSystemId());
        sendBy = SendBy.of(message, system.orElse(null));
        if (sendBy.isPresent() && sendBy.get().hasPassed(now())) {
            return expireRest(sendBy.get());
        }
        if (system.isEmpty() || !system.get().enabled()) {
            return failAll("MessageSystemUnavailable: message system '" + message.messageSystemId()
                    + "' is missing or disabled");
        }
        if (!services.transports().supportedKinds().contains(system.get().transport())) {
            return failAll("TransportUnavailable: this runtime cannot send through '"
                    + system.get().transport().wireName() + "'");
        }
        Optional<Credentials> credentials;
        try {
            credentials = services.jobAccounts().decrypt(system.get());
        } catch (CipherException e) {
            return failAll("JobAccountUndecryptable: " + e.getMessage());
        }
        if (system.get().transport().requiresJobAccount() && credentials.isEmpty()) {
            return failAll("JobAccountMissing: the message system has no job account");
        }
        if (system.get().unsubscribe().enabled()) {
            try {
                // Seals a first link now, so that an unreadable key stops the run before any recipient is touched.
                services.unsubscribeLinks().urlFor(system.get().id(), system.get().from().email(), message.id());
            } catch (CipherException e) {
                return failAll("UnsubscribeKeyUnavailable: " + e.getMessage());
            }
        }
        MessageTemplates templates;
        try {
            templates = services.renderer().compile(message.subject(), message.text(), message.html());
        } catch (TemplateRenderer.InvalidTemplatesException e) {
            return failAll("TemplateInvalid: " + e.getMessage());
        }
        if (message.audience() != null && !message.audience().resolved()) {
            try {
                message = new AudienceResolver(store, recorder, services.clock()).resolve(message, this::nearDeadline);
            } catch (AudienceResolver.ListUnavailableException e) {
                return failAll(e.getMessage());
            }
            if (message.status() == MessageStatus.CANCELLED) {
                return cancelRest();
            }
            if (!message.audience().resolved()) {
                return checkpoint();
            }
        }
        ChunkSender.Ending ending;
        try (Transport transport = services.transports().open(system.get(), credentials);
             ChunkSender chunks = new ChunkSender(services, this, recorder, message, system.get(), templates,
                     services.rateLimiters().forSystem(system.get(), transport), transport);
             Stream<Chunk> pending = store.streamChunks(message).filter(c -> c.state() != ChunkState.DONE)) {
            sender = chunks;
            ending = sender.sendAll(pending.iterator());
            recorder.finish();
        }
        return switch (ending) {
            case ALL_SENT -> finish(RunStatus.COMPLETED, null);
            case HAND_OVER -> checkpoint();
            case CANCELLED -> cancelRest();
            case EXPIRED -> expireRest(sendBy.orElseThrow());
        };
    }

    /** The message was cancelled: every recipient not sent yet is recorded {@code CANCELLED}. */
    private DispatchResult cancelRest() {
        return endRest(Outcome.cancelled(now()), "the message was cancelled before it was resent", RunStatus.CANCELLED, null);
    }

    /** The send-by limit passed: every recipient not sent yet is recorded {@code EXPIRED}. */
    private DispatchResult expireRest(SendBy sendBy) {
        String reason = "Expired: " + sendBy.description() + " passed before this mail was sent";
        LOG.warn("Run {}: message {} not sent further, {} passed", runId, task.messageId(), sendBy.description());
        return endRest(Outcome.expired(reason, now()), "its send-by limit passed before it was resent", RunStatus.EXPIRED,
                null);
    }

    /**
     * Records {@code outcome} for every recipient not sent yet and ends the run. The recipients of a
     * chunk a dead run left in flight may have been sent: they are {@code UNKNOWN} instead. The ones
     * of a chunk already sent keep their outcomes.
     */
    private DispatchResult endRest(Outcome outcome, String whyNotResent, RunStatus status, String error) {
        Outcome inFlight = Outcome.unknown("InterruptedInFlight: a run died while sending; " + whyNotResent, outcome.at());
        Message message = store.findMessage(task.messageId()).orElseThrow();
        try (Stream<Chunk> rest = store.streamChunks(message).filter(c -> c.state() != ChunkState.DONE)) {
            for (Chunk chunk : (Iterable<Chunk>) rest::iterator) {
                boolean mayHaveGoneOut = chunk.state() == ChunkState.IN_FLIGHT || chunk.index() < deadRunsOpenedBelow;
                Outcome ending = mayHaveGoneOut ? inFlight : outcome;
                recorder.record(chunk, chunk.recipients().stream().map(r -> r.isPending() ? r.withOutcome(ending) : r)
                        .toList(), ChunkState.DONE);
                recorder.awaitUnsavedAtMost(ENDING_BACKLOG);
            }
            recorder.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording the message's end", e);
        }
        return finish(status, error);
    }

    private DispatchResult failAll(String error) {
        LOG.error("Run {} cannot send message {}: {}", runId, task.messageId(), error);
        return endRest(Outcome.failed(error, now()), "not resent, as the message cannot be sent", RunStatus.FAILED, error);
    }

    private DispatchResult failWithoutMessage() {
        String error = "MessageMissing: message " + task.messageId() + " does not exist";
        LOG.error("Run {}: {}", runId, error);
        recordRunEnd(RunStatus.FAILED, error);
        releaseTask(TaskState.DONE);
        return new DispatchResult(DispatchResult.Outcome.FAILED, runId, runCounts());
    }

    /**
     * Hands over to a fresh run: the claim is released and a continuation fired at once. Like every
     * end, the run's end is recorded before the claim is released: killed in between, the claim
     * expires and the run that takes the task over finds every earlier run ended.
     */
    private DispatchResult checkpoint() {
        recordRunEnd(RunStatus.CONTINUED, null);
        releaseTask(TaskState.ARMED);
        LOG.info("Run {} checkpointed task {} after {} sent, {} failed; the task's next run carries on",
                runId, task.id(), recorder.recorded().sent(), recorder.recorded().failed());
        services.scheduler().fireNow(task);
        return new DispatchResult(DispatchResult.Outcome.CONTINUED, runId, runCounts());
    }

    private DispatchResult finish(RunStatus status, String error) {
        // The run's end first: whoever sees the message final finds its runs ended.
        recordRunEnd(status, error);
        Message message = recorder.updateMessage(m -> {
            // Exact: a run starts from exact counts (a takeover sums them from the chunks) and the recorder has
            // added every chunk it saved.
            Counts counts = m.counts();
            MessageStatus finalStatus = m.status() == MessageStatus.CANCELLED ? MessageStatus.CANCELLED
                    : status == RunStatus.EXPIRED ? MessageStatus.EXPIRED
                    // A run that could not send fails the message, though it had no recipient (a list gone).
                    : status == RunStatus.FAILED && counts.sent() == 0 ? MessageStatus.FAILED
                    : counts.sent() == counts.total() - counts.suppressed() ? MessageStatus.SENT
                    : counts.sent() == 0 ? MessageStatus.FAILED
                    : MessageStatus.PARTIALLY_SENT;
            return m.withStatus(finalStatus, now());
        });
        Counts counts = message.counts();
        releaseTask(message.status() == MessageStatus.CANCELLED ? TaskState.CANCELLED : TaskState.DONE);
        LOG.info("Run {} finished: message {} is {} ({} sent, {} failed, {} unknown, {} suppressed, {} cancelled, "
                + "{} expired of {})", runId, message.id(), message.status(), counts.sent(), counts.failed(),
                counts.unknown(), counts.suppressed(), counts.cancelled(), counts.expired(), counts.total());
        DispatchResult.Outcome outcome = switch (status) {
            case CANCELLED -> DispatchResult.Outcome.CANCELLED;
            case EXPIRED -> DispatchResult.Outcome.EXPIRED;
            case FAILED -> DispatchResult.Outcome.FAILED;
            default -> DispatchResult.Outcome.COMPLETED;
        };
        return new DispatchResult(outcome, runId, runCounts());
    }

    private void releaseTask(TaskState state) {
        task = store.updateTask(task.withState(state, null, null, now()))
                .orElseThrow(() -> new LostClaimException("task " + task.id()));
    }

    private void renewLeaseIfDue() {
        Instant now = now();
        if (task.leaseUntil() != null
                && Duration.between(now, task.leaseUntil()).compareTo(settings.taskLease().dividedBy(2)) < 0) {
            task = store.updateTask(task.withState(TaskState.RUNNING, runId, now.plus(settings.taskLease()), now))
                    .orElseThrow(() -> new LostClaimException("task " + task.id()));
        }
    }

    private void recordRunEnd(RunStatus status, String error) {
        Instant now = now();
        Counts recorded = recorder.recorded();
        run = store.updateRun(run.finish(status, recorded.sent(), recorded.failed(), recorded.unknown(), error, now))
                .orElse(run);
        boolean startsTheTask = run.trigger() == Trigger.SCHEDULE || run.trigger() == Trigger.IMMEDIATE;
        RunReport report = new RunReport(task.messageSystemId(), task.messageId(), task.id(), runId,
                run.trigger(), status, recorded, sender == null ? 0 : sender.throttles(),
                startsTheTask ? Duration.between(task.fireAt(), run.startedAt()) : null,
                Duration.between(run.startedAt(), now));
        try {
            services.metrics().record(report);
        } catch (RuntimeException e) {
            // The run record holds the figures; a metrics backend's failure must not fail the run.
            LOG.warn("Run {}: metrics not recorded: {}", runId, e.toString());
        }
    }

    @Override
    public boolean nearDeadline() {
        return deadline.remaining().compareTo(settings.checkpointMargin()) < 0;
    }

    @Override
    public void keepClaim() {
        renewLeaseIfDue();
    }

    @Override
    public Optional<ChunkSender.Ending> beforeOpening(int chunkIndex, int openAtOnce) {
        if (recorder.cancelled()) {
            return Optional.of(ChunkSender.Ending.CANCELLED);
        }
        if (sendBy.isPresent() && sendBy.get().hasPassed(now())) {
            return Optional.of(ChunkSender.Ending.EXPIRED);
        }
        if (chunkIndex >= run.openedBelow()) {
            // One write for as many chunks as may be open at once: the bound stays that close to the truth.
            run = store.updateRun(run.withOpenedBelow(chunkIndex + openAtOnce))
                    .orElseThrow(() -> new LostClaimException("run " + runId));
        }
        return Optional.empty();
    }

    private Counts runCounts() {
        Counts recorded = recorder.recorded();
        return Counts.ofRun(recorded.sent(), recorded.failed(), recorded.unknown());
    }

    private Instant now() {
        return services.clock().instant();
    }

}
