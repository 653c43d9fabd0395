package dev.herald.core.dispatch;

import dev.herald.core.error.ConflictException;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.schedule.MessageView;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pause and resume: a message stops at its next chunk, nothing lost, and carries on where it stopped. */
class PauseResumeTest {

    private final Harness h = new Harness();

    private Task task(String taskId) {
        return h.store.findTask(taskId).orElseThrow();
    }

    private Message message(String taskId) {
        return h.store.findMessage(task(taskId).messageId()).orElseThrow();
    }

    /** A message of 30 recipients, due now, that its owner pauses as its first call goes out; its task id. */
    private String dueWithAPauseAtItsFirstCall() {
        String taskId = h.scheduleInAMinute(30, null);
        h.clock.advance(Duration.ofSeconds(60));
        String messageId = task(taskId).messageId();
        AtomicInteger batches = new AtomicInteger();
        h.transport.beforeEachBatch(() -> {
            if (batches.incrementAndGet() == 1) {
                h.lifecycle.pause(Harness.ALICE, messageId);
            }
        });
        return taskId;
    }

    @Test
    void pausedBeforeItFires_itsTriggerIsDisarmed_aLateFiringSendsNothing_andAResumeKeepsItsOwnTime() {
        String taskId = h.scheduleInAMinute(25, null);
        String messageId = task(taskId).messageId();
        Instant ownTime = task(taskId).fireAt();

        MessageView paused = h.lifecycle.pause(Harness.ALICE, messageId);

        assertThat(paused.message().status()).isEqualTo(MessageStatus.PAUSED);
        assertThat(task(taskId).state()).isEqualTo(TaskState.PAUSED);
        assertThat(h.scheduler.disarmed).extracting(Task::id).containsExactly(taskId);
        assertThat(h.lifecycle.pause(Harness.ALICE, messageId).message().status()).as("repeatable").isEqualTo(MessageStatus.PAUSED);
        h.clock.advance(Duration.ofSeconds(60));
        assertThat(h.fire(taskId).outcome()).as("a trigger that fires anyway").isEqualTo(DispatchResult.Outcome.DUPLICATE);
        assertThat(h.transport.delivered).isEmpty();

        h.clock.advance(Duration.ofSeconds(-30)); // back before its own time: the resume keeps it
        MessageView resumed = h.lifecycle.resume(Harness.ALICE, messageId, null, null);

        assertThat(resumed.message().status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(task(taskId).state()).isEqualTo(TaskState.ARMED);
        assertThat(task(taskId).fireAt()).isEqualTo(ownTime);
        assertThat(h.scheduler.rearmed).extracting(Task::id).containsExactly(taskId);
        h.clock.advance(Duration.ofSeconds(30));
        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
        assertThat(h.transport.delivered).hasSize(25);
    }

    @Test
    void pausedWhileSending_stopsAtTheNextChunk_andAResumeSendsEachRemainingRecipientOnce() {
        String taskId = dueWithAPauseAtItsFirstCall();
        String messageId = task(taskId).messageId();

        DispatchResult stopped = h.fire(taskId);

        assertThat(stopped.outcome()).isEqualTo(DispatchResult.Outcome.PAUSED);
        Message paused = message(taskId);
        assertThat(paused.status()).isEqualTo(MessageStatus.PAUSED);
        assertThat(paused.counts().sent()).isEqualTo(10);
        assertThat(paused.counts().pending()).as("nothing lost: the rest waits").isEqualTo(20);
        assertThat(task(taskId).state()).isEqualTo(TaskState.PAUSED);
        assertThat(h.store.listRuns(messageId)).singleElement().extracting(Run::status).isEqualTo(RunStatus.PAUSED);
        assertThat(h.scheduler.firedNow).as("no continuation while paused").isEmpty();

        MessageView resumed = h.lifecycle.resume(Harness.ALICE, messageId, null, null);

        assertThat(resumed.message().status()).isEqualTo(MessageStatus.SENDING);
        assertThat(h.scheduler.firedNow).extracting(Task::id).containsExactly(taskId);
        assertThat(h.dispatch.dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null),
                Deadline.none()).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        Message sent = message(taskId);
        assertThat(sent.status()).isEqualTo(MessageStatus.SENT);
        assertThat(sent.counts().sent()).isEqualTo(30);
        assertThat(h.transport.delivered).extracting(OutgoingMail::recipientKey)
                .as("no recipient twice").doesNotHaveDuplicates().hasSize(30);
        assertThat(h.store.listRuns(messageId)).extracting(Run::status)
                .containsExactlyInAnyOrder(RunStatus.PAUSED, RunStatus.COMPLETED);
    }

    @Test
    void aResumeAtAGivenTime_armsTheTaskThere_andARunThatSeesThePauseLateStillEndsPaused() {
        String taskId = dueWithAPauseAtItsFirstCall();
        String messageId = task(taskId).messageId();
        h.fire(taskId);

        String tomorrow = h.clock.instant().plus(Duration.ofDays(1)).toString();
        h.lifecycle.resume(Harness.ALICE, messageId, tomorrow, "Europe/Paris");

        assertThat(task(taskId).fireAt()).isEqualTo(Instant.parse(tomorrow));
        assertThat(task(taskId).state()).isEqualTo(TaskState.ARMED);
        assertThat(h.scheduler.rearmed).extracting(Task::id).containsExactly(taskId);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENDING);
    }

    @Test
    void aResumeWhileTheRunStillHoldsTheTask_isNotLost_theRunFiresItAgainOnceItLetsGo() {
        String taskId = dueWithAPauseAtItsFirstCall();
        String messageId = task(taskId).messageId();
        // The resume comes after the run saw the pause and before it lets its task go: it finds the task running.
        h.whenRunEnds = report -> {
            if (report.status() == RunStatus.PAUSED) {
                h.lifecycle.resume(Harness.ALICE, messageId, null, null);
            }
        };

        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.PAUSED);

        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENDING);
        assertThat(task(taskId).state()).isEqualTo(TaskState.ARMED);
        assertThat(h.scheduler.firedNow).extracting(Task::id).as("the run fired its task again").containsExactly(taskId);
        h.whenRunEnds = report -> { };
        h.dispatch.dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
        assertThat(h.transport.delivered).hasSize(30);
    }

    @Test
    void aPausedMessage_canBeCancelled_everyRecipientLeftRecordedCancelled() {
        String taskId = h.scheduleInAMinute(12, null);
        String messageId = task(taskId).messageId();
        h.lifecycle.pause(Harness.ALICE, messageId);

        MessageView cancelled = h.lifecycle.cancel(Harness.ALICE, messageId);

        assertThat(cancelled.message().status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(cancelled.message().counts().cancelled()).isEqualTo(12);
        assertThat(task(taskId).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(h.store.listChunks(messageId)).flatExtracting(c -> c.recipients()).allMatch(r -> !r.isPending());
    }

    @Test
    void refusals_aFinishedMessage_anUnpausedOne_aSendByBeforeTheNewTime_anotherCallersMessage() {
        String taskId = h.scheduleInAMinute(3, null);
        String messageId = task(taskId).messageId();
        assertThatThrownBy(() -> h.lifecycle.resume(Harness.ALICE, messageId, null, null))
                .isInstanceOf(ConflictException.class).hasMessageContaining("only a paused message");
        assertThatThrownBy(() -> h.lifecycle.pause(Harness.BOB, messageId)).isInstanceOf(NotFoundException.class);
        h.lifecycle.pause(Harness.ALICE, messageId);
        assertThatThrownBy(() -> h.lifecycle.resume(Harness.ALICE, messageId, "not a time", "Europe/Paris"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("sendAt"));
        assertThatThrownBy(() -> h.lifecycle.resume(Harness.ALICE, messageId, null, "Europe/Paris"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("timeZone"));
        assertThat(message(taskId).status()).as("nothing written").isEqualTo(MessageStatus.PAUSED);
        h.lifecycle.resume(Harness.ALICE, messageId, null, null);
        h.clock.advance(Duration.ofSeconds(60));
        h.fire(taskId);

        assertThatThrownBy(() -> h.lifecycle.pause(Harness.ALICE, messageId))
                .isInstanceOf(ConflictException.class).hasMessageContaining("already SENT");
        assertThat(message(taskId).counts().sent()).isEqualTo(3);
        assertThat(h.store.listChunks(messageId)).flatExtracting(c -> c.recipients()).allMatch(r -> r.outcome() != null && r.outcome().providerMessageId() != null);
    }
}
