package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.Trigger;
import dev.herald.core.testing.Harness;
import dev.herald.core.testing.InMemoryStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run killed after each write of its life, one kill per attempt: whatever the moment, the task is
 * fired again as the runtimes do after a crash (a restart, the reconciler: an expired claim or a
 * lost trigger), and in the end every run has a recorded end, every recipient an outcome, and the
 * message a final status whose counts add up.
 */
class CrashRecoveryTest {

    private static final int RECIPIENTS = 25; // three chunks of ten

    @ParameterizedTest
    @ValueSource(strings = {"at-least-once", "at-most-once"})
    void aRunKilledAfterAnyOfItsWrites_leavesNoRunRunning_andNoRecipientWithoutAnOutcome(String delivery) {
        int crashes = 0;
        for (int writes = 1; ; writes++) {
            Harness h = new Harness();
            String taskId = h.scheduleInAMinute(RECIPIENTS, delivery);
            h.clock.advance(Duration.ofSeconds(60));
            h.store.crashAfterWrites(writes);
            try {
                h.fire(taskId);
                break; // the run ended before its writes ran out: every moment has been tried
            } catch (InMemoryStore.SimulatedCrash killed) {
                crashes++;
            }
            String messageId = h.store.findTask(taskId).orElseThrow().messageId();
            String moment = "killed after write " + writes;
            // A reader that sees the message final, even right after the kill, finds its runs ended.
            if (h.store.findMessage(messageId).orElseThrow().status().isFinal()) {
                assertThat(h.store.listRuns(messageId)).as(moment + ", message final")
                        .allSatisfy(run -> assertThat(run.status()).isNotEqualTo(RunStatus.RUNNING));
            }
            recover(h, taskId);

            Message message = h.store.findMessage(messageId).orElseThrow();
            List<Run> runs = h.store.listRuns(messageId);
            assertThat(runs).as(moment).isNotEmpty().allSatisfy(run -> {
                assertThat(run.status()).as(moment).isNotEqualTo(RunStatus.RUNNING);
                assertThat(run.endedAt()).as(moment).isNotNull();
            });
            assertThat(h.store.findTask(taskId).orElseThrow().state().isFinal()).as(moment).isTrue();
            assertThat(message.status().isFinal()).as(moment).isTrue();
            List<Chunk> chunks = h.store.listChunks(messageId);
            assertThat(chunks).as(moment).allSatisfy(chunk -> assertThat(chunk.recipients())
                    .allSatisfy(r -> assertThat(r.isPending()).as(moment).isFalse()));
            Counts counts = message.counts();
            assertThat(counts).as(moment).isEqualTo(chunks.stream().map(Chunk::counts).reduce(Counts.ZERO, Counts::plus));
            assertThat(counts.total()).isEqualTo(RECIPIENTS);
            assertThat(counts.pending()).as(moment).isZero();
        }
        // A three-chunk run writes 14 times: its claim, its record, the message status; for each chunk the bound of
        // the chunks it may send to (one chunk open at a time here) and its outcomes; the counts after the first chunk
        // and at the end; then the run's end, the message and the release of the claim. At most once, each chunk is
        // claimed before it is sent as well.
        assertThat(crashes).as("moments a run was killed at")
                .isGreaterThanOrEqualTo(delivery.equals("at-most-once") ? 17 : 14);
    }

    /** What follows a crash: once the claim has expired, the task fires again, until it is done. */
    private static void recover(Harness h, String taskId) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Task task = h.store.findTask(taskId).orElseThrow();
            if (task.state().isFinal()) {
                return;
            }
            h.clock.advance(Duration.ofMinutes(2));
            h.dispatch.dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), Deadline.none());
        }
    }
}
