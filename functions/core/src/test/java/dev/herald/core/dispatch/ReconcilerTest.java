package dev.herald.core.dispatch;

import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the reconciler fires, and what it leaves to the triggers. */
class ReconcilerTest {

    private static final Duration LEAD = Duration.ofMinutes(1);
    private static final Duration GRACE = Duration.ofMinutes(5);
    private static final Duration MAXIMUM_EVENT_AGE = Duration.ofHours(6);
    private final Harness h = new Harness();
    private final Reconciler reconciler = new Reconciler(h.store, h.scheduler, h.clock, LEAD, GRACE, MAXIMUM_EVENT_AGE);

    /** A task scheduled this far ahead, then put in this state as a crash or a lost firing would leave it. */
    private Task task(Duration ahead, TaskState state, Instant leaseUntil) {
        String id = h.schedule.schedule(Harness.ALICE, Harness.request(2, h.clock.instant().plus(ahead).toString()),
                null, null).view().tasks().get(0).id();
        Task task = h.store.findTask(id).orElseThrow();
        return h.store.updateTask(task.withState(state, state == TaskState.RUNNING ? "dead-run" : null, leaseUntil,
                h.clock.instant())).orElseThrow();
    }

    private Task reload(Task task) {
        return h.store.findTask(task.id()).orElseThrow();
    }

    @Test
    void aTaskWhoseTriggerWasNeverArmed_isFiredOnceDueWithinTheLead_notBefore() {
        Task soon = task(Duration.ofSeconds(90), TaskState.PENDING, null);
        Task later = task(Duration.ofHours(2), TaskState.PENDING, null);

        assertThat(reconciler.reconcile()).as("just stored: an API request may still be arming it").isEmpty();
        h.clock.advance(Duration.ofSeconds(31 + GRACE.toSeconds()));

        assertThat(reconciler.reconcile()).containsExactly(soon.id());
        assertThat(h.scheduler.firedNow).extracting(Task::id).containsExactly(soon.id());
        assertThat(reload(later).state()).isEqualTo(TaskState.PENDING);
    }

    @Test
    void anArmedTaskLongPastItsInstant_isFired_unlessItNeverStartedAndIsStale() {
        Task lost = task(Duration.ofMinutes(10), TaskState.ARMED, null);
        h.clock.advance(Duration.ofMinutes(10).plus(GRACE).plusSeconds(1));
        Task onTime = task(Duration.ofMinutes(1), TaskState.ARMED, null);

        assertThat(reconciler.reconcile()).containsExactly(lost.id());

        h.clock.advance(MAXIMUM_EVENT_AGE.plusMinutes(2));
        h.scheduler.firedNow.clear();
        assertThat(reconciler.reconcile()).as("both never started and are older than the maximum event age").isEmpty();
        h.store.updateMessage(h.store.findMessage(lost.messageId()).orElseThrow().withStatus(MessageStatus.SENDING, h.clock.instant()));
        assertThat(reconciler.reconcile()).as("a started send whose continuation was lost still finishes")
                .containsExactly(lost.id());
        assertThat(onTime.id()).isNotEqualTo(lost.id());
    }

    @Test
    void aRunningTaskWhoseClaimExpired_isFired_aLiveOneIsNot() {
        Task dead = task(Duration.ZERO, TaskState.RUNNING, h.clock.instant().plusSeconds(30));
        Task live = task(Duration.ZERO, TaskState.RUNNING, h.clock.instant().plusSeconds(120));
        h.clock.advance(Duration.ofSeconds(60));

        assertThat(reconciler.reconcile()).containsExactly(dead.id());
        assertThat(reload(live).state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void firingTwice_sendsOnce_becauseTheClaimDecides() {
        Task dead = task(Duration.ZERO, TaskState.RUNNING, h.clock.instant().plusSeconds(30));
        h.clock.advance(Duration.ofSeconds(60));
        h.scheduler.firedNow.clear();
        reconciler.reconcile();
        reconciler.reconcile();

        for (Task fired : h.scheduler.firedNow) {
            h.dispatch.dispatch(new FireRequest(fired.id(), dev.herald.core.model.Trigger.IMMEDIATE, null), Deadline.none());
        }

        assertThat(h.scheduler.firedNow).hasSize(2);
        assertThat(h.transport.delivered).hasSize(2);
        assertThat(reload(dead).state()).isEqualTo(TaskState.DONE);
    }
}
