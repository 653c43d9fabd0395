package dev.herald.core.dispatch;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.Harness;
import dev.herald.core.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The send-by guard: a message's {@code sendBy}, or its message system's {@code maxLateness}, after
 * which nothing more of it is sent, whether its first firing comes late, its continuation or the
 * recovery after a crash.
 */
class SendByTest {

    private final Harness h = new Harness(); // chunks of 10
    private final Instant sendAt = h.clock.instant().plusSeconds(60);

    private String schedule(String system, int recipients, String sendBy) {
        ScheduleRequest base = Harness.request(recipients, null);
        return h.schedule.schedule(Harness.ALICE, new ScheduleRequest(system, base.subject(), base.text(), null,
                base.recipients(), sendAt.toString(), null, sendBy, null), null, null).view().tasks().get(0).id();
    }

    private Message message(String taskId) {
        return h.store.findMessage(h.store.findTask(taskId).orElseThrow().messageId()).orElseThrow();
    }

    private List<Recipient> recipients(String taskId) {
        return h.store.listChunks(message(taskId).id()).stream().flatMap(c -> c.recipients().stream()).toList();
    }

    private List<Run> runs(String taskId) {
        return h.store.listRuns(message(taskId).id());
    }

    @Test
    void aFiringAfterSendBy_sendsNothing_andEndsExpired() {
        String taskId = schedule("outbox", 25, sendAt.plus(Duration.ofMinutes(30)).toString());
        h.clock.set(sendAt.plus(Duration.ofMinutes(31)));

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.EXPIRED);
        assertThat(h.transport.delivered).isEmpty();
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.EXPIRED);
        assertThat(message.counts().expired()).isEqualTo(25);
        assertThat(message.counts().pending()).isZero();
        assertThat(recipients(taskId)).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(RecipientState.EXPIRED);
            assertThat(r.outcome().error()).startsWith("Expired: its sendBy " + sendAt.plus(Duration.ofMinutes(30)));
        });
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(TaskState.DONE);
        assertThat(runs(taskId)).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.EXPIRED);
            assertThat(run.endedAt()).isNotNull();
        });
        assertThat(h.reports).singleElement().satisfies(report -> {
            assertThat(report.status()).isEqualTo(RunStatus.EXPIRED);
            assertThat(report.recipients().expired()).as("the run's metrics count the expired").isPositive();
        });
    }

    @Test
    void aFiringAtSendByItself_stillSends() {
        String taskId = schedule("outbox", 3, sendAt.plus(Duration.ofMinutes(30)).toString());
        h.clock.set(sendAt.plus(Duration.ofMinutes(30)));

        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aMessageSystemsMaxLateness_limitsItsMessagesWithoutSendBy_andAMessagesOwnSendByWins() {
        h.systems.create(Harness.ADMIN, new MessageSystemSpec("alerts", "Alerts", true, "outbox", "alerts@example.com",
                null, null, 100.0, null, null, new MessageSystemSpec.SchedulingSpec(true, "default", "PT5M"), null));
        String withinLimit = schedule("alerts", 2, null);
        String beyondLimit = schedule("alerts", 2, null);
        String ownLimit = schedule("alerts", 2, sendAt.plus(Duration.ofHours(1)).toString());

        h.clock.set(sendAt.plus(Duration.ofMinutes(4)));
        assertThat(h.fire(withinLimit).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        h.clock.set(sendAt.plus(Duration.ofMinutes(6)));
        assertThat(h.fire(beyondLimit).outcome()).isEqualTo(DispatchResult.Outcome.EXPIRED);
        assertThat(h.fire(ownLimit).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);

        assertThat(recipients(beyondLimit)).allSatisfy(r -> assertThat(r.outcome().error())
                .contains("the message system's maxLateness of PT5M after its send time"));
        assertThat(h.transport.delivered).hasSize(4);
    }

    @Test
    void aRunThatPassesTheLimitWhileSending_stopsAtTheNextChunk() {
        String taskId = schedule("outbox", 30, sendAt.plus(Duration.ofMinutes(10)).toString());
        h.clock.set(sendAt);
        AtomicInteger batches = new AtomicInteger();
        h.transport.beforeEachBatch(() -> {
            if (batches.incrementAndGet() == 1) {
                h.clock.advance(Duration.ofMinutes(11)); // a provider that stalls for eleven minutes
            }
        });

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.EXPIRED);
        assertThat(h.transport.delivered).hasSize(10);
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.EXPIRED);
        assertThat(message.counts().sent()).isEqualTo(10);
        assertThat(message.counts().expired()).isEqualTo(20);
    }

    @Test
    void aContinuationAfterTheLimit_sendsNoMore() {
        String taskId = schedule("outbox", 30, sendAt.plus(Duration.ofMinutes(10)).toString());
        h.clock.set(sendAt);
        AtomicInteger budget = new AtomicInteger(2); // two chunk checks pass, then the deadline is near
        Deadline shortDeadline = () -> budget.getAndDecrement() > 0 ? Duration.ofMinutes(5) : Duration.ofSeconds(1);
        assertThat(h.dispatch.dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), shortDeadline).outcome())
                .isEqualTo(DispatchResult.Outcome.CONTINUED);
        int sentBefore = h.transport.delivered.size();

        h.clock.advance(Duration.ofMinutes(11)); // the continuation's invocation came late
        DispatchResult continuation = h.dispatch.dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());

        assertThat(continuation.outcome()).isEqualTo(DispatchResult.Outcome.EXPIRED);
        assertThat(h.transport.delivered).hasSize(sentBefore);
        Message message = message(taskId);
        assertThat(message.counts().sent()).isEqualTo(sentBefore);
        assertThat(message.counts().expired()).isEqualTo(30 - sentBefore);
        assertThat(runs(taskId)).extracting(Run::status).containsExactly(RunStatus.CONTINUED, RunStatus.EXPIRED);
    }

    @Test
    void aRecoveryAfterTheLimit_sendsNoMore_andTheChunkInFlightIsUnknown() {
        String taskId = schedule("outbox", 30, sendAt.plus(Duration.ofMinutes(1)).toString());
        h.clock.set(sendAt);
        h.transport.crashAfter(15); // dies in the middle of the second chunk
        assertThatThrownBy(() -> h.fire(taskId)).isInstanceOf(ScriptedTransport.SimulatedCrash.class);
        h.transport.crashAfter(-1);

        h.clock.advance(Duration.ofMinutes(3)); // the claim expired, and so did the message
        DispatchResult recovery = h.dispatch.dispatch(new FireRequest(taskId, Trigger.RECOVERY, null), Deadline.none());

        assertThat(recovery.outcome()).isEqualTo(DispatchResult.Outcome.EXPIRED);
        assertThat(h.transport.delivered).hasSize(15);
        List<Recipient> recipients = recipients(taskId);
        assertThat(recipients.subList(0, 10)).allMatch(r -> r.state() == RecipientState.SENT);
        assertThat(recipients.subList(10, 20)).as("the chunk in flight: some of it may have gone out")
                .allSatisfy(r -> {
                    assertThat(r.state()).isEqualTo(RecipientState.UNKNOWN);
                    assertThat(r.outcome().error()).contains("its send-by limit passed");
                });
        assertThat(recipients.subList(20, 30)).allMatch(r -> r.state() == RecipientState.EXPIRED);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.EXPIRED);
        assertThat(runs(taskId)).extracting(Run::status).containsExactly(RunStatus.FAILED, RunStatus.EXPIRED);
    }

    @Test
    void anExpiredMessage_isFinal_andCannotBeCancelled() {
        String taskId = schedule("outbox", 2, sendAt.plus(Duration.ofMinutes(1)).toString());
        h.clock.set(sendAt.plus(Duration.ofMinutes(2)));
        h.fire(taskId);

        assertThatThrownBy(() -> h.lifecycle.cancel(Harness.ALICE, message(taskId).id()))
                .isInstanceOf(dev.herald.core.error.ConflictException.class).hasMessageContaining("EXPIRED");
        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.DUPLICATE);
    }

    @Test
    void sendBy_mustBeADateTimeAfterTheSendTime() {
        assertThat(fieldsAtFault(sendAt.toString())).containsExactly("sendBy: must be after the send time (" + sendAt + ")");
        assertThat(fieldsAtFault(sendAt.minusSeconds(1).toString())).hasSize(1);
        assertThat(fieldsAtFault("now")).containsExactly("sendBy: must be a date-time after sendAt (leave it out for no limit)");
        assertThat(fieldsAtFault(" ")).hasSize(1);
        assertThat(fieldsAtFault("tomorrow")).singleElement().asString().startsWith("sendBy: not an ISO-8601 date-time");
        assertThat(fieldsAtFault("2030-01-15T12:00:00")).singleElement().asString()
                .isEqualTo("sendBy: a local date-time needs a timeZone, or give sendBy with an offset such as +01:00");
        assertThat(fieldsAtFault("2040-01-01T00:00:00Z")).singleElement().asString().contains("scheduling horizon");
        assertThat(h.store.listTasksByState(java.util.EnumSet.allOf(TaskState.class), Instant.MAX)).isEmpty();
    }

    private List<String> fieldsAtFault(String sendBy) {
        try {
            schedule("outbox", 1, sendBy);
        } catch (ValidationException e) {
            return e.errors().stream().map(error -> error.field() + ": " + error.message()).toList();
        }
        return List.of();
    }

    @Test
    void rescheduling_keepsTheMessagesSendBy_whichMustStayAfterTheNewTime_orReplacesIt() {
        String taskId = schedule("outbox", 1, sendAt.plus(Duration.ofHours(1)).toString());
        String id = message(taskId).id();

        assertThatThrownBy(() -> h.lifecycle.reschedule(Harness.ALICE, id, sendAt.plus(Duration.ofHours(2)).toString(), null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("sendAt"));
        h.lifecycle.reschedule(Harness.ALICE, id, sendAt.plus(Duration.ofMinutes(30)).toString(), null, null);
        assertThat(message(taskId).sendBy()).isEqualTo(sendAt.plus(Duration.ofHours(1)));

        h.lifecycle.reschedule(Harness.ALICE, id, sendAt.plus(Duration.ofHours(2)).toString(), null,
                sendAt.plus(Duration.ofHours(3)).toString());
        assertThat(message(taskId).sendAt()).isEqualTo(sendAt.plus(Duration.ofHours(2)));
        assertThat(message(taskId).sendBy()).isEqualTo(sendAt.plus(Duration.ofHours(3)));
    }

    @Test
    void maxLateness_isAnIsoDurationFromOneSecondToAYear() {
        for (String bad : new String[] {"2 hours", "PT0S", "-PT5M", "P400D", ""}) {
            assertThatThrownBy(() -> h.systems.create(Harness.ADMIN, new MessageSystemSpec("late-" + bad.length(), "Late", true,
                    "outbox", "a@example.com", null, null, 1.0, null, null, new MessageSystemSpec.SchedulingSpec(true, null, bad), null)))
                    .as(bad).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                            .extracting(FieldError::field).containsExactly("scheduling.maxLateness"));
        }
        assertThat(h.systems.create(Harness.ADMIN, new MessageSystemSpec("daily", "Daily", true, "outbox", "a@example.com",
                null, null, 1.0, null, null, new MessageSystemSpec.SchedulingSpec(true, null, "P1D"), null)).scheduling().maxLateness())
                .isEqualTo(Duration.ofDays(1));
    }
}
