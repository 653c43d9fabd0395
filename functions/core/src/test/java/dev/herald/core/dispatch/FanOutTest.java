package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Slice;
import dev.herald.core.model.SliceState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.RunMetrics;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.testing.Harness;
import dev.herald.core.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A message sent by several workers at once: slices claimed with conditional writes, the rate shared, a dead
 * worker's slice taken over once its lease runs out, and the message finished by the run holding its task.
 */
class FanOutTest {

    private static final int RECIPIENTS = 100; // chunks of 10: five slices of two chunks
    /** A worker sends 400 mails a second: the outbox system's 1,000 need three. */
    private static final DispatchSettings SETTINGS = DispatchSettings.defaults()
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
            .withFanOut(new DispatchSettings.FanOutSettings(400, 3, 2));

    private final Harness h = new Harness();

    /** A dispatch as another process has one: its own rate limiters, the same store, transport and clock. */
    private DispatchService process() {
        return process(SETTINGS);
    }

    private DispatchService process(DispatchSettings settings) {
        return new DispatchService(h.store, h.cipher, h.transport, h.scheduler, new TemplateRenderer(), h.links, settings,
                h.clock, h.ids, RunMetrics.none(), h.clock::advance);
    }

    private String messageOf(String taskId) {
        return h.store.findTask(taskId).orElseThrow().messageId();
    }

    private Map<String, Long> deliveriesByAddress() {
        return h.transport.delivered.stream().collect(Collectors.groupingBy(m -> m.to().email(), Collectors.counting()));
    }

    /** The message is final, every recipient has an outcome, and its counts are its chunks' and its slices' sums. */
    private Message assertFinishedWithExactCounts(String messageId) {
        Message message = h.store.findMessage(messageId).orElseThrow();
        assertThat(message.status().isFinal()).as(message.status().name()).isTrue();
        List<Chunk> chunks = h.store.listChunks(messageId);
        assertThat(chunks).allSatisfy(c -> assertThat(c.recipients()).noneMatch(Recipient::isPending));
        Counts fromChunks = chunks.stream().map(Chunk::counts).reduce(Counts.ZERO, Counts::plus);
        List<Slice> slices = h.store.listSlices(messageId);
        assertThat(slices).extracting(Slice::state).containsOnly(SliceState.DONE);
        assertThat(slices.stream().map(Slice::counts).reduce(Counts.ZERO, Counts::plus)).isEqualTo(fromChunks);
        assertThat(message.counts()).isEqualTo(fromChunks);
        assertThat(h.views.get(Harness.ALICE, messageId).counts()).isEqualTo(fromChunks);
        assertThat(fromChunks.total()).isEqualTo(RECIPIENTS);
        return message;
    }

    /** A message that fanned out, whose task's run died five mails into its first slice (one chunk open); its task id. */
    private String fannedOutWithItsTasksRunDeadInTheFirstSlice() {
        String taskId = h.scheduleInAMinute(RECIPIENTS, null);
        h.clock.advance(Duration.ofSeconds(60));
        h.transport.crashAfter(5);
        assertThatThrownBy(() -> process().dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), Deadline.none()))
                .isInstanceOf(ScriptedTransport.SimulatedCrash.class);
        h.transport.crashAfter(-1);
        return taskId;
    }

    @Test
    void threeWorkersAtOnce_sendEveryRecipientOnce_eachAtAThirdOfTheRate_andTheTasksRunFinishesTheMessage() throws Exception {
        String taskId = h.scheduleInAMinute(RECIPIENTS, null);
        h.clock.advance(Duration.ofSeconds(60));
        DispatchService holder = process();
        Firing claimed = holder.fire(new FireRequest(taskId, Trigger.SCHEDULE, null));
        ExecutorService processes = Executors.newFixedThreadPool(3);
        List<Future<DispatchResult>> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
        // As Lambda does: each worker the task's run asks for starts at once, in a process of its own.
        h.scheduler.whenWorkersFired = (task, count) -> {
            for (int worker = 0; worker < count; worker++) {
                DispatchService own = process();
                workers.add(processes.submit(() -> own.dispatch(new FireRequest(task.id(), Trigger.WORKER, null),
                        Deadline.none())));
            }
        };
        processes.submit(() -> claimed.complete(Deadline.none())).get();
        for (Future<DispatchResult> worker : workers) {
            worker.get();
        }
        processes.shutdown();
        if (!h.store.findTask(taskId).orElseThrow().state().isFinal()) {
            // The workers held slices when the task's run ran out of them: the last worker fired the task.
            assertThat(h.scheduler.firedNow).isNotEmpty();
            holder.dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());
        }

        assertThat(h.scheduler.workersFired).hasSize(2);
        assertThat(deliveriesByAddress()).hasSize(RECIPIENTS).allSatisfy((address, times) -> assertThat(times).isEqualTo(1));
        Message message = assertFinishedWithExactCounts(messageOf(taskId));
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.fanOut().workers()).isEqualTo(3);
        assertThat(h.store.listRuns(message.id())).filteredOn(r -> r.trigger() == Trigger.WORKER).hasSize(2)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.COMPLETED));
        RateLimiters limiters = new RateLimiters(SETTINGS, h.clock, h.clock::advance);
        ScriptedTransport transport = h.transport;
        var system = h.store.findMessageSystem("outbox").orElseThrow();
        assertThat(limiters.forShare(system, transport.open(system, java.util.Optional.empty()), 3).maxRate())
                .isEqualTo(1000.0 / 3);
    }

    @Test
    void aWorkerThatDies_leavesItsSliceToTheLease_andWhoeverTakesItOver_resendsAtMostTheChunkItHadOpen() {
        String taskId = fannedOutWithItsTasksRunDeadInTheFirstSlice();
        String messageId = messageOf(taskId);
        assertThat(h.store.listSlices(messageId)).hasSize(5);

        // Two workers share the four slices left; the dead run's slice is still held.
        process().dispatch(new FireRequest(taskId, Trigger.WORKER, null), Deadline.none());
        process().dispatch(new FireRequest(taskId, Trigger.WORKER, null), Deadline.none());
        assertThat(h.store.listSlices(messageId)).extracting(Slice::state)
                .containsExactly(SliceState.CLAIMED, SliceState.DONE, SliceState.DONE, SliceState.DONE, SliceState.DONE);
        assertThat(h.store.findMessage(messageId).orElseThrow().status()).isEqualTo(MessageStatus.SENDING);

        // Its claim and its slice's lease run out; the reconciler fires the task, whose next run takes both over.
        h.clock.advance(Duration.ofMinutes(2));
        DispatchResult recovery = process().dispatch(new FireRequest(taskId, Trigger.RECOVERY, null), Deadline.none());

        assertThat(recovery.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        Message message = assertFinishedWithExactCounts(messageId);
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().sent()).isEqualTo(RECIPIENTS);
        Map<String, Long> deliveries = deliveriesByAddress();
        assertThat(deliveries).hasSize(RECIPIENTS);
        long resent = deliveries.values().stream().filter(times -> times > 1).count();
        assertThat(resent).as("the dead run had one chunk open (10 recipients), of which it sent five").isEqualTo(5);
        assertThat(h.store.listRuns(messageId)).extracting(Run::trigger, Run::status).contains(
                org.assertj.core.groups.Tuple.tuple(Trigger.SCHEDULE, RunStatus.FAILED),
                org.assertj.core.groups.Tuple.tuple(Trigger.RECOVERY, RunStatus.COMPLETED));
    }

    @Test
    void cancellingWhileItFansOut_endsEverySlice_theDeadRunsOpenChunkUnknown_theRestCancelled() {
        String taskId = fannedOutWithItsTasksRunDeadInTheFirstSlice();
        String messageId = messageOf(taskId);

        h.lifecycle.cancel(Harness.ALICE, messageId);
        process().dispatch(new FireRequest(taskId, Trigger.WORKER, null), Deadline.none());
        h.clock.advance(Duration.ofMinutes(2));
        process().dispatch(new FireRequest(taskId, Trigger.RECOVERY, null), Deadline.none());

        Message message = assertFinishedWithExactCounts(messageId);
        assertThat(message.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(h.transport.delivered).hasSize(5);
        Function<RecipientState, Long> count = state -> h.store.listChunks(messageId).stream()
                .flatMap(c -> c.recipients().stream()).filter(r -> r.state() == state).count();
        assertThat(count.apply(RecipientState.UNKNOWN)).as("the dead run's open chunk").isEqualTo(10);
        assertThat(count.apply(RecipientState.CANCELLED)).isEqualTo(RECIPIENTS - 10);
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(dev.herald.core.model.TaskState.CANCELLED);
    }

    @Test
    void pausedWhileItFansOut_everyParticipantLetsItsSliceGo_andTheResumeStartsTheWorkersAgain_sendingEachRecipientOnce() {
        String taskId = h.scheduleInAMinute(RECIPIENTS, null);
        String messageId = messageOf(taskId);
        h.clock.advance(Duration.ofSeconds(60));
        java.util.concurrent.atomic.AtomicInteger batches = new java.util.concurrent.atomic.AtomicInteger();
        h.transport.beforeEachBatch(() -> {
            if (batches.incrementAndGet() == 1) {
                h.lifecycle.pause(Harness.ALICE, messageId);
            }
        });

        DispatchResult paused = process().dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), Deadline.none());

        assertThat(paused.outcome()).isEqualTo(DispatchResult.Outcome.PAUSED);
        assertThat(h.scheduler.workersFired).hasSize(2);
        assertThat(h.transport.delivered).as("the first chunk, then the pause").hasSize(10);
        assertThat(h.store.listSlices(messageId)).extracting(Slice::state).containsOnly(SliceState.OPEN);
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(dev.herald.core.model.TaskState.PAUSED);
        var whilePaused = h.views.get(Harness.ALICE, messageId); // a fanned-out message's counts are its slices'
        assertThat(whilePaused.message().status()).isEqualTo(MessageStatus.PAUSED);
        assertThat(whilePaused.counts().sent()).isEqualTo(10);
        assertThat(whilePaused.counts().pending()).isEqualTo(RECIPIENTS - 10);

        // A worker the run asked for arrives after the pause: it lets the slice it claims go, and sends nothing.
        DispatchResult lateWorker = process().dispatch(new FireRequest(taskId, Trigger.WORKER, null), Deadline.none());
        assertThat(lateWorker.outcome()).isEqualTo(DispatchResult.Outcome.PAUSED);
        assertThat(h.transport.delivered).hasSize(10);
        assertThat(h.store.listSlices(messageId)).extracting(Slice::state).containsOnly(SliceState.OPEN);

        h.lifecycle.resume(Harness.ALICE, messageId, null, null);
        assertThat(h.scheduler.firedNow).extracting(dev.herald.core.model.Task::id).containsExactly(taskId);
        DispatchResult resumed = process().dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());

        assertThat(resumed.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.scheduler.workersFired).as("the resume starts two workers again").hasSize(4);
        assertThat(deliveriesByAddress()).hasSize(RECIPIENTS).allSatisfy((address, times) -> assertThat(times).isEqualTo(1));
        assertThat(assertFinishedWithExactCounts(messageId).status()).isEqualTo(MessageStatus.SENT);
        assertThat(h.store.listRuns(messageId)).extracting(Run::trigger, Run::status).contains(
                org.assertj.core.groups.Tuple.tuple(Trigger.SCHEDULE, RunStatus.PAUSED),
                org.assertj.core.groups.Tuple.tuple(Trigger.WORKER, RunStatus.PAUSED));
    }

    @Test
    void cancelledWhilePausedAndFannedOut_theTasksRunEndsEverySlice_theRestCancelled() {
        String taskId = h.scheduleInAMinute(RECIPIENTS, null);
        String messageId = messageOf(taskId);
        h.clock.advance(Duration.ofSeconds(60));
        h.transport.beforeEachBatch(() -> {
            if (h.transport.delivered.isEmpty()) {
                h.lifecycle.pause(Harness.ALICE, messageId);
            }
        });
        process().dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), Deadline.none());

        h.lifecycle.cancel(Harness.ALICE, messageId);
        assertThat(h.scheduler.firedNow).extracting(dev.herald.core.model.Task::id).containsExactly(taskId);
        process().dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());

        Message message = assertFinishedWithExactCounts(messageId);
        assertThat(message.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(message.counts().sent()).isEqualTo(10);
        assertThat(message.counts().cancelled()).isEqualTo(RECIPIENTS - 10);
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(dev.herald.core.model.TaskState.CANCELLED);
    }

    @Test
    void aMessageWhoseRateOneWorkerKeepsUp_isSentByOneRun_withoutSlices() {
        String taskId = h.scheduleInAMinute(RECIPIENTS, null);
        h.clock.advance(Duration.ofSeconds(60));

        process(SETTINGS.withFanOut(new DispatchSettings.FanOutSettings(1000, 3, 2))).dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), Deadline.none());

        assertThat(h.store.listSlices(messageOf(taskId))).isEmpty();
        assertThat(h.scheduler.workersFired).isEmpty();
        assertThat(h.store.findMessage(messageOf(taskId)).orElseThrow().status()).isEqualTo(MessageStatus.SENT);
    }
}
