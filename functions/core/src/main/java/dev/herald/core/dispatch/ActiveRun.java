package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.FanOut;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.SendWindows;
import dev.herald.core.model.Slice;
import dev.herald.core.model.SliceState;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Store;
import dev.herald.core.port.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One run of the dispatch, from its claim to its end: holds the task claim and the run's record,
 * walks the message's chunks, and hands each to its {@link ChunkSender}.
 */
final class ActiveRun implements Execution, ChunkSender.RunControl {

    private static final Logger LOG = LoggerFactory.getLogger(ActiveRun.class);

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
    /** Whether the task's run before this one ended paused: this run starts what the resume carries on. */
    private boolean resumesAPause;
    /** The send-by limit of the message, if it has one; known once the run delivers. */
    private Optional<SendBy> sendBy = Optional.empty();
    /** The message's send windows, if it has any; known once the run delivers. */
    private Optional<SendWindows> windows = Optional.empty();
    /** The message's daily cap, if it has one, as this run counts it; known once the run delivers. */
    private Optional<DailyCap> cap = Optional.empty();
    /** The run's sender, once it sends (null until then: the run may end before). */
    private ChunkSender sender;
    /** What the run recorded in the slices it worked, when its message fans out. */
    private Counts slicesRecorded = Counts.ZERO;
    private int slicesThrottled;

    /** The run of a task claimed at {@code claimedAt}: the instant its run record gives as its start. */
    ActiveRun(RunServices services, Task claimedTask, String runId, FireRequest request, Instant claimedAt) {
        this.services = services;
        this.store = services.store();
        this.settings = services.settings();
        this.task = claimedTask;
        this.runId = runId;
        this.request = request;
        this.claimedAt = claimedAt;
        this.recorder = new RunRecorder(store, services.clock(), settings.progressInterval(), runId,
                RunRecorder.intoMessage(store, claimedTask.messageId()));
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String messageId() {
        return task.messageId();
    }

    @Override
    public DispatchResult execute(Deadline runDeadline) {
        this.deadline = runDeadline;
        Optional<Message> found = store.findMessage(task.messageId());
        start(found.map(Message::status).orElse(null));
        boolean tookOver = closeAbandonedRuns();
        try (recorder) {
            if (found.isEmpty()) {
                return failWithoutMessage();
            }
            Message message = found.get();
            if (message.fanOut() != null) {
                return coordinate(message);
            }
            if (tookOver) {
                message = recountFromTheChunks();
            }
            if (message.status() == MessageStatus.CANCELLED) {
                return cancelRest();
            }
            if (message.status() == MessageStatus.PAUSED) {
                return pauseHere();
            }
            if (message.status() == MessageStatus.SCHEDULED) {
                message = MessageUpdates.apply(store, task.messageId(), m -> m.status() == MessageStatus.SCHEDULED
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
    private Message recountFromTheChunks() {
        Counts counts = MessageEnding.countedFromTheChunks(store, task.messageId());
        return MessageUpdates.apply(store, task.messageId(), m -> m.withCounts(counts, now()));
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
        resumesAPause = others.stream().filter(r -> r.trigger() != Trigger.WORKER).max(Comparator.comparing(Run::startedAt))
                .map(r -> r.status() == RunStatus.PAUSED).orElse(false);
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
        windows = Optional.ofNullable(message.sendWindows()).or(() -> system.map(s -> s.scheduling().sendWindows()));
        if (windows.isPresent() && !windows.get().isOpen(now())) {
            return waitForTheWindow();
        }
        cap = DailyCap.of(store, message, system, windows, runId, now());
        if (cap.isPresent() && cap.get().reached()) {
            return waitForTheNextDay();
        }
        Prepared prepared;
        try {
            prepared = Prepared.of(services, message, system);
        } catch (Prepared.Unsendable e) {
            return failAll(e.getMessage());
        }
        if (message.audience() != null && !message.audience().resolved()) {
            try {
                message = new AudienceResolver(store, services.clock()).resolve(message, this::nearDeadline);
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
        try (Transport transport = services.transports().open(prepared.system(), prepared.credentials())) {
            AdaptiveRateLimiter limiter = services.rateLimiters().forSystem(prepared.system(), transport);
            int workers = settings.fanOut().workersFor(limiter.maxRate(), message.chunkCount());
            // Only a message nothing was sent of yet fans out: its slices then start with all their recipients pending.
            // (Nor one with send windows or a daily cap: its workers neither wait for the next opening nor count; nor
            // one of several tasks, whose slices would cut across them.)
            if (workers > 1 && message.counts().pending() == message.counts().total() && windows.isEmpty()
                    && cap.isEmpty() && task.chunks().isAll()) {
                message = fanOut(message, workers);
                if (message.fanOut() == null) {
                    return message.status() == MessageStatus.PAUSED ? pauseHere() : cancelRest();
                }
                return coordinate(message, prepared, null, transport);
            }
            try (ChunkSender chunks = new ChunkSender(services, this, recorder, message, prepared.system(),
                    prepared.templates(), limiter, transport);
                 Stream<Chunk> pending = chunksOfTheTask(message).filter(c -> c.state() != ChunkState.DONE)) {
                sender = chunks;
                ending = sender.sendAll(pending.iterator());
                recorder.finish();
            }
        }
        return switch (ending) {
            case ALL_SENT -> finish(RunStatus.COMPLETED, null);
            case HAND_OVER -> checkpoint();
            case CANCELLED -> cancelRest();
            case PAUSED -> pauseHere();
            case EXPIRED -> expireRest(sendBy.orElseThrow());
            case WINDOW_CLOSED -> waitForTheWindow();
            case CAP_REACHED -> waitForTheNextDay();
        };
    }

    /**
     * Cuts the message into slices (their recipients all pending: every chunk is full but the last), records
     * that it fans out, and starts the workers beside this run.
     */
    private Message fanOut(Message message, int workers) {
        DispatchSettings.FanOutSettings plan = settings.fanOut();
        int chunkSize = store.findChunk(message.id(), 0).orElseThrow().recipients().size();
        int total = message.counts().total();
        List<Slice> slices = new ArrayList<>();
        for (int from = 0, index = 0; from < message.chunkCount(); from += plan.sliceChunks(), index++) {
            int to = Math.min(message.chunkCount(), from + plan.sliceChunks());
            int recipients = Math.min(total, to * chunkSize) - from * chunkSize;
            slices.add(new Slice(message.id(), index, from, to, SliceState.OPEN, null, null, from,
                    Counts.allPending(recipients), now(), 0));
        }
        store.putSlices(slices);
        FanOut fanOut = new FanOut(slices.size(), workers);
        // A message paused or cancelled since this run read it does not fan out: its slices stay unused.
        Message fanned = MessageUpdates.apply(store, message.id(),
                m -> m.status() == MessageStatus.SENDING ? m.withFanOut(fanOut, now()) : m);
        if (fanned.fanOut() == null) {
            return fanned;
        }
        services.scheduler().fireWorkers(task, workers - 1);
        LOG.info("Run {}: message {} fans out in {} slices to {} workers", runId, message.id(), slices.size(), workers);
        return fanned;
    }

    /** The run holding the task of a fanned-out message: sends, or ends, slices as its workers do, then finishes. */
    private DispatchResult coordinate(Message message) {
        Optional<MessageSystem> system = store.findMessageSystem(message.messageSystemId());
        sendBy = SendBy.of(message, system.orElse(null));
        Prepared prepared;
        try {
            prepared = Prepared.of(services, message, system);
        } catch (Prepared.Unsendable e) {
            return coordinate(message, null, e.getMessage(), null);
        }
        try (Transport transport = services.transports().open(prepared.system(), prepared.credentials())) {
            return coordinate(message, prepared, null, transport);
        }
    }

    /**
     * Works slices as a worker does (at its share of the rate), then: hands over near the deadline; finishes
     * the message once every slice is done; or, while workers still hold slices, lets the task go (armed) and
     * leaves the finishing to the run the last of them fires (or, should they die, the reconciler).
     */
    private DispatchResult coordinate(Message message, Prepared prepared, String unsendable, Transport transport) {
        AdaptiveRateLimiter share = prepared == null ? null
                : services.rateLimiters().forShare(prepared.system(), transport, message.fanOut().workers());
        if (resumesAPause) {
            // The workers stopped with the pause, their slices open: start them again beside this run.
            long open = store.listSlices(message.id()).stream().filter(s -> s.state() != SliceState.DONE).count();
            int workers = (int) Math.min(message.fanOut().workers() - 1, Math.max(0, open - 1));
            if (workers > 0) {
                services.scheduler().fireWorkers(task, workers);
            }
        }
        SliceWork.Result result = new SliceWork(services, runId, new SliceWork.Assignment(task, message, prepared,
                unsendable, sendBy), transport, share, deadline, this::renewLeaseIfDue, false).run();
        slicesRecorded = result.recorded();
        slicesThrottled = result.throttles();
        if (result.paused()) {
            return pauseHere();
        }
        if (result.handedOver()) {
            return checkpoint();
        }
        List<Slice> slices = store.listSlices(message.id());
        if (slices.stream().allMatch(s -> s.state() == SliceState.DONE)) {
            Counts counts = slices.stream().map(Slice::counts).reduce(Counts.ZERO, Counts::plus);
            Message ended = MessageUpdates.apply(store, message.id(), m -> m.withCounts(counts, now()));
            RunStatus status = unsendable != null ? RunStatus.FAILED
                    : ended.status() == MessageStatus.CANCELLED ? RunStatus.CANCELLED
                    : counts.expired() > 0 ? RunStatus.EXPIRED
                    : RunStatus.COMPLETED;
            return finish(status, unsendable);
        }
        if (currentStatus() == MessageStatus.PAUSED) {
            return pauseHere();
        }
        recordRunEnd(RunStatus.CONTINUED, null);
        releaseTask(TaskState.ARMED);
        if (currentStatus() == MessageStatus.PAUSED) {
            // Paused as this run let the task go: the pause found it held. It waits for the resume, paused.
            store.updateTask(task.withState(TaskState.PAUSED, null, null, now())).ifPresent(paused -> {
                task = paused;
                wakeIfResumed();
            });
        }
        LOG.info("Run {}: workers still hold slices of message {}; the last of them fires its task", runId, message.id());
        if (store.listSlices(message.id()).stream().allMatch(s -> s.state() == SliceState.DONE)) {
            // The last slice ended while this run let the task go: no worker fired it in time to find it free.
            services.scheduler().fireNow(task);
        }
        return new DispatchResult(DispatchResult.Outcome.CONTINUED, runId, runCounts());
    }

    /** The message was cancelled: every recipient not sent yet is recorded {@code CANCELLED}. */
    private DispatchResult cancelRest() {
        return endRest(Outcome.cancelled(now()), "the message was cancelled before it was resent", RunStatus.CANCELLED, null);
    }

    /**
     * The message was paused: the run ends, every outcome it had saved, and leaves its task paused for a
     * resume to arm. A resume that came while this run was stopping found the task running and left it
     * to this run, which then fires it again itself.
     */
    private DispatchResult pauseHere() {
        recordRunEnd(RunStatus.PAUSED, null);
        releaseTask(TaskState.PAUSED);
        LOG.info("Run {}: message {} paused after {} sent; task {} waits for a resume", runId, task.messageId(),
                recorded().sent(), task.id());
        wakeIfResumed();
        return new DispatchResult(DispatchResult.Outcome.PAUSED, runId, runCounts());
    }

    /** Fires the task, paused by this run, again when the message was resumed (or cancelled) meanwhile. */
    private void wakeIfResumed() {
        if (currentStatus() != MessageStatus.PAUSED) {
            store.updateTask(task.withState(TaskState.ARMED, null, null, now())).ifPresent(services.scheduler()::fireNow);
        }
    }

    private MessageStatus currentStatus() {
        return store.findMessage(task.messageId()).map(Message::status).orElse(MessageStatus.PAUSED);
    }

    /**
     * The message's windows are closed: the run ends, every outcome it had saved, and its task is armed for the next
     * opening, when a run carries on. Content whose send-by limit comes before that opening expires instead. The task
     * is let go before its trigger is moved (a trigger that fired at once must find it free); should the process die
     * in between, the task is armed for the opening with no trigger, and the reconciler (or a restart) fires it.
     */
    private DispatchResult waitForTheWindow() {
        return waitUntil(windows.orElseThrow().nextOpening(now()), "its send window");
    }

    /** The day's cap is reached: the same wait, until the next day begins (and a window opens, if it has any). */
    private DispatchResult waitForTheNextDay() {
        Instant nextDay = cap.orElseThrow().nextDay();
        return waitUntil(windows.map(w -> w.nextOpening(nextDay)).orElse(nextDay), "the next day of its daily cap");
    }

    private DispatchResult waitUntil(Instant at, String what) {
        if (sendBy.isPresent() && !at.isBefore(sendBy.get().instant())) {
            return expireRest(sendBy.get());
        }
        recordRunEnd(RunStatus.WAITING, null);
        task = store.updateTask(task.withFireAt(at, TaskState.ARMED, now()))
                .orElseThrow(() -> new LostClaimException("task " + task.id()));
        services.scheduler().rearm(task);
        LOG.info("Run {}: message {} waits for {}, after {} sent; task {} fires at {}", runId, task.messageId(), what,
                recorded().sent(), task.id(), at);
        return new DispatchResult(DispatchResult.Outcome.WAITING, runId, runCounts());
    }

    /** The send-by limit passed: every recipient not sent yet is recorded {@code EXPIRED}. */
    private DispatchResult expireRest(SendBy sendBy) {
        String reason = "Expired: " + sendBy.description() + " passed before this mail was sent";
        LOG.warn("Run {}: message {} not sent further, {} passed", runId, task.messageId(), sendBy.description());
        return endRest(Outcome.expired(reason, now()), "its send-by limit passed before it was resent", RunStatus.EXPIRED,
                null);
    }

    /** Records {@code outcome} for every recipient not sent yet (see {@link RestOfChunks}) and ends the run. */
    private DispatchResult endRest(Outcome outcome, String whyNotResent, RunStatus status, String error) {
        RestOfChunks.record(chunksOfTheTask(store.findMessage(task.messageId()).orElseThrow()), outcome, whyNotResent,
                deadRunsOpenedBelow, recorder);
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
                runId, task.id(), recorded().sent(), recorded().failed());
        services.scheduler().fireNow(task);
        return new DispatchResult(DispatchResult.Outcome.CONTINUED, runId, runCounts());
    }

    private Stream<Chunk> chunksOfTheTask(Message message) {
        return store.streamChunks(message, task.chunks());
    }

    /**
     * Ends the run and its task. The message ends with its last task: a message of several tasks (a local-time one)
     * goes on sending while any other is not done. Two of them ending at once cannot both leave it unfinished: each
     * lets its task go before it looks at the others again, so the later of the two finds them all done.
     */
    private DispatchResult finish(RunStatus status, String error) {
        // The run's end first: whoever sees the message final finds its runs ended.
        recordRunEnd(status, error);
        Message message;
        if (!otherTasksOpen()) {
            message = endMessage(status);
            releaseTask(message.status() == MessageStatus.CANCELLED ? TaskState.CANCELLED : TaskState.DONE);
        } else {
            releaseTask(currentStatus() == MessageStatus.CANCELLED ? TaskState.CANCELLED : TaskState.DONE);
            message = otherTasksOpen() ? store.findMessage(task.messageId()).orElseThrow() : endMessage(status);
        }
        Counts counts = message.counts();
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

    /** Whether another task of the message may still send: read from the task itself, as the listing may lag. */
    private boolean otherTasksOpen() {
        return !task.chunks().isAll() && store.listTasks(task.messageId()).stream()
                .filter(t -> !t.id().equals(task.id()) && !t.state().isFinal())
                .anyMatch(t -> store.findTask(t.id()).map(current -> !current.state().isFinal()).orElse(false));
    }

    private Message endMessage(RunStatus status) {
        return MessageEnding.end(store, services.clock(), task.messageId(), status, !task.chunks().isAll());
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
        Counts recorded = recorded();
        run = store.updateRun(run.finish(status, recorded.sent(), recorded.failed(), recorded.unknown(), error, now))
                .orElse(run);
        boolean startsTheTask = run.trigger() == Trigger.SCHEDULE || run.trigger() == Trigger.IMMEDIATE;
        RunReport report = new RunReport(task.messageSystemId(), task.messageId(), task.id(), runId,
                run.trigger(), status, recorded, (sender == null ? 0 : sender.throttles()) + slicesThrottled,
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
    public Optional<ChunkSender.Ending> beforeOpening(int chunkIndex, int recipients, int openAtOnce) {
        if (recorder.cancelled()) {
            return Optional.of(ChunkSender.Ending.CANCELLED);
        }
        if (recorder.paused()) {
            return Optional.of(ChunkSender.Ending.PAUSED);
        }
        if (sendBy.isPresent() && sendBy.get().hasPassed(now())) {
            return Optional.of(ChunkSender.Ending.EXPIRED);
        }
        if (windows.isPresent() && !windows.get().isOpen(now())) {
            return Optional.of(ChunkSender.Ending.WINDOW_CLOSED);
        }
        if (cap.isPresent()) {
            if (cap.get().dayEnded(now())) {
                return Optional.of(ChunkSender.Ending.HAND_OVER); // a fresh run counts the new day from nothing
            }
            if (!cap.get().open(recipients)) {
                return Optional.of(ChunkSender.Ending.CAP_REACHED);
            }
        }
        if (chunkIndex >= run.openedBelow()) {
            // One write for as many chunks as may be open at once: the bound stays that close to the truth.
            run = store.updateRun(run.withOpenedBelow(chunkIndex + openAtOnce))
                    .orElseThrow(() -> new LostClaimException("run " + runId));
        }
        return Optional.empty();
    }

    /** What the run changed: in the chunks it sent as a whole, and in the slices it worked. */
    private Counts recorded() {
        return recorder.recorded().plus(slicesRecorded);
    }

    private Counts runCounts() {
        Counts recorded = recorded();
        return Counts.ofRun(recorded.sent(), recorded.failed(), recorded.unknown());
    }

    private Instant now() {
        return services.clock().instant();
    }

}
