package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Delivery;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.testing.Harness;
import dev.herald.core.testing.ScriptedTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DispatchServiceTest {

    private final Harness h = new Harness();

    private Message message(String taskId) {
        return message(h, taskId);
    }

    private List<Recipient> recipients(String taskId) {
        return h.store.listChunks(message(taskId).id()).stream().flatMap(c -> c.recipients().stream()).toList();
    }

    @Test
    void firing_rendersAndSendsToEveryRecipient_recordsOutcomes_andFinishesSent() {
        String taskId = h.scheduleInAMinute(25, null);
        h.clock.advance(Duration.ofSeconds(60));

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.transport.delivered).hasSize(25);
        assertThat(h.transport.delivered.get(3).subject()).isEqualTo("Hello User 3");
        assertThat(h.transport.delivered.get(3).text()).isEqualTo("Hi User 3 #3");
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().sent()).isEqualTo(25);
        assertThat(message.counts().pending()).isZero();
        assertThat(recipients(taskId)).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(RecipientState.SENT);
            assertThat(r.outcome().providerMessageId()).startsWith("provider-");
        });
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(TaskState.DONE);
        List<Run> runs = h.store.listRuns(message.id());
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.trigger()).isEqualTo(Trigger.SCHEDULE);
            assertThat(run.sent()).isEqualTo(25);
            assertThat(run.endedAt()).isNotNull();
        });
    }

    @Test
    void duplicateFiring_afterCompletion_sendsNothing_andRecordsNoRun() {
        String taskId = h.scheduleInAMinute(5, null);
        h.clock.advance(Duration.ofSeconds(60));
        h.fire(taskId);

        DispatchResult second = h.fire(taskId);

        assertThat(second.outcome()).isEqualTo(DispatchResult.Outcome.DUPLICATE);
        assertThat(h.transport.delivered).hasSize(5);
        assertThat(h.store.listRuns(message(taskId).id())).hasSize(1);
    }

    @Test
    void duplicateFiring_whileARunHoldsTheTask_sendsNothing() {
        String taskId = h.scheduleInAMinute(3, null);
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger nested = new AtomicInteger();
        h.transport.beforeEachBatch(() -> {
            if (nested.getAndIncrement() == 0) {
                assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.DUPLICATE);
            }
        });

        h.fire(taskId);

        assertThat(h.transport.delivered).hasSize(3);
        assertThat(h.transport.deliveriesTo("user0@example.com")).isEqualTo(1);
    }

    @Test
    void earlyFiring_ofARescheduledTask_isStale_andSendsNothing() {
        String taskId = h.scheduleInAMinute(3, null);

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.STALE);
        assertThat(h.transport.delivered).isEmpty();
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(TaskState.ARMED);
    }

    @Test
    void permanentFailures_areRecorded_notRetried_andTheMessageIsPartiallySent() {
        String taskId = h.scheduleInAMinute(10, null);
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger attemptsToBadMailbox = new AtomicInteger();
        h.transport.script(mail -> {
            if (mail.to().email().equals("user4@example.com")) {
                attemptsToBadMailbox.incrementAndGet();
                return Delivery.permanent("MailboxUnavailable: 550 no such user");
            }
            return Delivery.delivered("ok");
        });

        h.fire(taskId);

        assertThat(attemptsToBadMailbox).hasValue(1);
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.PARTIALLY_SENT);
        assertThat(message.counts().sent()).isEqualTo(9);
        assertThat(message.counts().failed()).isEqualTo(1);
        assertThat(recipients(taskId).get(4).outcome().error()).isEqualTo("MailboxUnavailable: 550 no such user");
    }

    @Test
    void throttling_slowsDownAndRetries_withoutDroppingAnyone() {
        String taskId = h.scheduleInAMinute(20, null);
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger calls = new AtomicInteger();
        h.transport.script(mail -> calls.incrementAndGet() % 3 == 0
                ? Delivery.throttled("Throttling: maximum sending rate exceeded") : Delivery.delivered("ok"));

        h.fire(taskId);

        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
        assertThat(h.transport.delivered).hasSize(20);
        assertThat(recipients(taskId)).allMatch(r -> r.state() == RecipientState.SENT);
        MessageSystem outbox = h.store.findMessageSystem("outbox").orElseThrow();
        assertThat(h.dispatch.rateLimiter(outbox, h.transport.open(outbox, Optional.empty())).currentRate()).isLessThan(1000);
    }

    @Test
    void everyRunEnd_isReported_withItsCounts_throttles_lateness_andDuration() {
        String taskId = h.scheduleInAMinute(20, null);
        h.clock.advance(Duration.ofSeconds(63));
        AtomicInteger calls = new AtomicInteger();
        h.transport.script(mail -> {
            if (mail.to().email().equals("user7@example.com")) {
                return Delivery.permanent("MailboxDoesNotExist");
            }
            return calls.incrementAndGet() % 5 == 0 ? Delivery.throttled("Throttling") : Delivery.delivered("ok");
        });
        h.transport.beforeEachBatch(() -> h.clock.advance(Duration.ofMillis(100)));
        AtomicInteger budget = new AtomicInteger(2);
        Deadline shortDeadline = () -> budget.getAndDecrement() > 0 ? Duration.ofMinutes(5) : Duration.ofSeconds(1);

        h.dispatch.dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), shortDeadline);
        h.dispatch.dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());

        assertThat(h.reports).hasSize(2);
        RunReport first = h.reports.get(0);
        RunReport continuation = h.reports.get(1);
        assertThat(first.status()).isEqualTo(RunStatus.CONTINUED);
        assertThat(first.taskId()).isEqualTo(taskId);
        assertThat(first.messageSystemId()).isEqualTo("outbox");
        assertThat(first.lateness()).isEqualTo(Duration.ofSeconds(3));
        assertThat(first.duration()).isPositive();
        assertThat(continuation.trigger()).isEqualTo(Trigger.CONTINUATION);
        assertThat(continuation.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(continuation.lateness()).isNull();
        assertThat(first.recipients().sent() + continuation.recipients().sent()).isEqualTo(19);
        assertThat(first.recipients().failed() + continuation.recipients().failed()).isEqualTo(1);
        assertThat(first.throttles() + continuation.throttles()).isPositive();
        assertThat(first.runId()).isNotEqualTo(continuation.runId());
    }

    @Test
    void aSystemThatLeavesTheRateToTheProvider_sendsAtTheProvidersQuota_orElseTheDefault() {
        MessageSystem unset = h.systems.create(Harness.ADMIN, new dev.herald.core.system.MessageSystemSpec("quota",
                "Quota", true, "outbox", "news@example.com", null, null, null, null, null, null, null));
        MessageSystem set = h.store.findMessageSystem("outbox").orElseThrow();

        assertThat(unset.maxSendRate()).isNull();
        assertThat(h.dispatch.rateLimiter(unset, h.transport.open(unset, Optional.empty())).maxRate())
                .isEqualTo(DispatchSettings.defaults().defaultSendRate());
        h.transport.providerRate(120);
        assertThat(h.dispatch.rateLimiter(unset, h.transport.open(unset, Optional.empty())).maxRate()).isEqualTo(120);
        assertThat(h.dispatch.rateLimiter(set, h.transport.open(set, Optional.empty())).maxRate()).isEqualTo(1000);
    }

    @Test
    void aTriggerArmedEarly_waitsForTheInstant_whileOneFiredEarlierStillIsStale() {
        DispatchService armedEarly = new DispatchService(h.store, h.cipher, h.transport, h.scheduler, new TemplateRenderer(),
                h.links, DispatchSettings.defaults().withEarlyWait(Duration.ofSeconds(65)), h.clock, h.ids, h.reports::add,
                h.clock::advance);
        String inAMinute = h.scheduleInAMinute(3, null);
        String inTwoMinutes = h.schedule.schedule(Harness.ALICE, Harness.request(3, h.clock.instant().plusSeconds(120).toString()),
                null, null).view().tasks().get(0).id();
        Instant instant = h.store.findTask(inAMinute).orElseThrow().fireAt();

        DispatchResult stale = armedEarly.dispatch(new FireRequest(inTwoMinutes, Trigger.SCHEDULE, null), Deadline.none());
        DispatchResult waited = armedEarly.dispatch(new FireRequest(inAMinute, Trigger.SCHEDULE, null), Deadline.none());

        assertThat(stale.outcome()).isEqualTo(DispatchResult.Outcome.STALE);
        assertThat(waited.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.transport.delivered).hasSize(3);
        Run run = h.store.listRuns(message(inAMinute).id()).get(0);
        assertThat(run.startedAt()).isEqualTo(instant);
        assertThat(h.reports).singleElement().extracting(RunReport::lateness).isEqualTo(Duration.ZERO);
    }

    @Test
    void transientFailures_areRetried_thenRecordedFailedAfterTheLimit() {
        String taskId = h.scheduleInAMinute(4, null);
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger flaky = new AtomicInteger();
        h.transport.script(mail -> switch (mail.to().email()) {
            case "user1@example.com" -> flaky.incrementAndGet() < 3
                    ? Delivery.transientFailure("Transient: 421 try later") : Delivery.delivered("late");
            case "user2@example.com" -> Delivery.transientFailure("Transient: 451 local error");
            default -> Delivery.delivered("ok");
        });

        h.fire(taskId);

        List<Recipient> recipients = recipients(taskId);
        assertThat(recipients.get(1).outcome().providerMessageId()).isEqualTo("late");
        assertThat(recipients.get(2).state()).isEqualTo(RecipientState.FAILED);
        assertThat(recipients.get(2).outcome().error()).isEqualTo("Transient: 451 local error");
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.PARTIALLY_SENT);
    }

    @Test
    void transportThatThrows_countsAsTransient_forTheWholeBatch() {
        String taskId = h.scheduleInAMinute(2, null);
        h.clock.advance(Duration.ofSeconds(60));
        h.transport.script(mail -> {
            throw new IllegalStateException("connection reset");
        });

        h.fire(taskId);

        assertThat(recipients(taskId)).allSatisfy(r ->
                assertThat(r.outcome().error()).isEqualTo("TransportError: IllegalStateException"));
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void crashMidChunk_atLeastOnce_resendsOnlyTheChunkInFlight_andEveryoneEndsWithOneOutcome() {
        String taskId = h.scheduleInAMinute(30, null); // chunks of 10
        h.clock.advance(Duration.ofSeconds(60));
        h.transport.crashAfter(15);

        assertThatThrownBy(() -> h.fire(taskId)).isInstanceOf(ScriptedTransport.SimulatedCrash.class);
        assertThat(h.fire(taskId).outcome()).as("the dead run's lease still holds")
                .isEqualTo(DispatchResult.Outcome.DUPLICATE);

        h.transport.crashAfter(-1);
        h.clock.advance(Duration.ofMinutes(2));
        DispatchResult recovery = h.dispatch.dispatch(new FireRequest(taskId, Trigger.RECOVERY, null), Deadline.none());

        assertThat(recovery.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(recipients(taskId)).hasSize(30).allMatch(r -> r.state() == RecipientState.SENT);
        // user10..user14 were sent before the crash, in chunk 1, and are sent again: nobody else.
        for (int i = 0; i < 30; i++) {
            long expected = i >= 10 && i < 15 ? 2 : 1;
            assertThat(h.transport.deliveriesTo("user" + i + "@example.com")).as("user" + i).isEqualTo(expected);
        }
        assertThat(message(taskId).counts().sent()).isEqualTo(30);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
        List<Run> runs = h.store.listRuns(message(taskId).id());
        assertThat(runs).extracting(Run::status).containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        assertThat(runs.get(0).error()).startsWith("Abandoned").contains(runs.get(1).id());
        assertThat(runs.get(0).endedAt()).isNotNull();
    }

    @Test
    void crashMidChunk_atMostOnce_marksTheInFlightRecipientsUnknown_andNeverResends() {
        String taskId = h.scheduleInAMinute(30, "at-most-once");
        h.clock.advance(Duration.ofSeconds(60));
        h.transport.crashAfter(15);
        assertThatThrownBy(() -> h.fire(taskId)).isInstanceOf(ScriptedTransport.SimulatedCrash.class);

        h.transport.crashAfter(-1);
        h.clock.advance(Duration.ofMinutes(2));
        h.dispatch.dispatch(new FireRequest(taskId, Trigger.RECOVERY, null), Deadline.none());

        List<Recipient> recipients = recipients(taskId);
        assertThat(recipients.subList(10, 20)).allMatch(r -> r.state() == RecipientState.UNKNOWN);
        assertThat(recipients.subList(0, 10)).allMatch(r -> r.state() == RecipientState.SENT);
        assertThat(recipients.subList(20, 30)).allMatch(r -> r.state() == RecipientState.SENT);
        for (int i = 0; i < 30; i++) {
            assertThat(h.transport.deliveriesTo("user" + i + "@example.com")).isLessThanOrEqualTo(1);
        }
        Message message = message(taskId);
        assertThat(message.counts().unknown()).isEqualTo(10);
        assertThat(message.status()).isEqualTo(MessageStatus.PARTIALLY_SENT);
    }

    @Test
    void cancellationDuringTheRun_stopsAtTheNextChunk() {
        String taskId = h.scheduleInAMinute(30, null);
        h.clock.advance(Duration.ofSeconds(60));
        String messageId = message(taskId).id();
        AtomicInteger batches = new AtomicInteger();
        h.transport.beforeEachBatch(() -> {
            if (batches.incrementAndGet() == 1) {
                h.lifecycle.cancel(Harness.ALICE, messageId);
            }
        });

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.CANCELLED);
        assertThat(h.transport.delivered).hasSize(10);
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(message.counts().sent()).isEqualTo(10);
        assertThat(message.counts().cancelled()).isEqualTo(20);
        assertThat(message.counts().pending()).as("every recipient ends in a recorded state").isZero();
        assertThat(recipients(taskId)).filteredOn(r -> r.state() == RecipientState.CANCELLED).hasSize(20)
                .allSatisfy(r -> assertThat(r.outcome().error()).startsWith("Cancelled"));
        assertThat(h.store.findTask(taskId).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(h.store.listRuns(messageId)).singleElement().extracting(Run::status).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void nearTheDeadline_theRunCheckpoints_andAContinuationFinishes() {
        String taskId = h.scheduleInAMinute(30, null);
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger budget = new AtomicInteger(2); // lets two chunk checks pass, then the deadline is near
        Deadline shortDeadline = () -> budget.getAndDecrement() > 0 ? Duration.ofMinutes(5) : Duration.ofSeconds(1);

        DispatchResult first = h.dispatch.dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), shortDeadline);

        assertThat(first.outcome()).isEqualTo(DispatchResult.Outcome.CONTINUED);
        Task afterCheckpoint = h.store.findTask(taskId).orElseThrow();
        assertThat(afterCheckpoint.state()).isEqualTo(TaskState.ARMED);
        assertThat(h.scheduler.firedNow).extracting(Task::id).containsExactly(taskId);
        int sentBefore = h.transport.delivered.size();
        assertThat(sentBefore).isBetween(1, 29);

        DispatchResult continuation = h.dispatch.dispatch(new FireRequest(taskId, Trigger.IMMEDIATE, null), Deadline.none());

        assertThat(continuation.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.transport.delivered).hasSize(30);
        assertThat(h.transport.delivered).extracting(m -> m.to().email()).doesNotHaveDuplicates();
        List<Run> runs = h.store.listRuns(message(taskId).id());
        assertThat(runs).extracting(Run::status).containsExactly(RunStatus.CONTINUED, RunStatus.COMPLETED);
        assertThat(runs.get(1).trigger()).isEqualTo(Trigger.CONTINUATION);
        assertThat(runs.get(0).sent() + runs.get(1).sent()).isEqualTo(30);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void whenEveryInvocationIsShort_eachContinuationStillSendsABatch_untilEveryRecipientHasAnOutcome() {
        String taskId = h.scheduleInAMinute(30, null);
        h.clock.advance(Duration.ofSeconds(60));
        Deadline alwaysNear = () -> Duration.ofSeconds(1);

        List<DispatchResult.Outcome> outcomes = new java.util.ArrayList<>();
        Trigger trigger = Trigger.SCHEDULE;
        do {
            outcomes.add(h.dispatch.dispatch(new FireRequest(taskId, trigger, null), alwaysNear).outcome());
            trigger = Trigger.IMMEDIATE;
        } while (outcomes.get(outcomes.size() - 1) == DispatchResult.Outcome.CONTINUED && outcomes.size() < 100);

        assertThat(outcomes).last().isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(outcomes).hasSizeGreaterThan(1);
        assertThat(h.transport.delivered).hasSize(30);
        assertThat(h.transport.delivered).extracting(m -> m.to().email()).doesNotHaveDuplicates();
        assertThat(h.store.listRuns(message(taskId).id())).allSatisfy(run -> assertThat(run.sent()).isPositive());
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aRecipientWhoseDataTheTemplateCannotRenderWithinItsLimits_isRecordedFailed_andTheOthersAreSent() {
        List<Integer> many = java.util.stream.IntStream.range(0, 1_200).boxed().toList();
        // Intake renders every template for the first recipient only; the third one's data is what overflows.
        String taskId = h.schedule.schedule(Harness.ALICE, new dev.herald.core.schedule.ScheduleRequest("outbox", "Hi",
                "{{#each items}}{{#each ../items}}xx{{/each}}{{/each}}", null, List.of(
                        new dev.herald.core.schedule.RecipientInput("a@example.com", null, Map.of("items", List.of(1))),
                        new dev.herald.core.schedule.RecipientInput("b@example.com", null, Map.of()),
                        new dev.herald.core.schedule.RecipientInput("c@example.com", null, Map.of("items", many))),
                h.clock.instant().plusSeconds(60).toString(), null, null, null), null, null).view().tasks().get(0).id();
        h.clock.advance(Duration.ofSeconds(60));

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.transport.delivered).extracting(m -> m.to().email()).containsExactly("a@example.com", "b@example.com");
        assertThat(recipients(taskId)).filteredOn(r -> r.email().equals("c@example.com")).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RecipientState.FAILED);
            // Whichever limit a slow machine reaches first: the output's or the render time's (a real clock).
            assertThat(r.outcome().error()).matches("RenderingFailed: text (renders more than 1000000 characters"
                    + "|takes longer than 1 s to render).*");
        });
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.PARTIALLY_SENT);
    }

    @Test
    void aJobAccountThatDoesNotDecrypt_failsEveryRecipient_withoutSending() {
        h.systems.create(Harness.ADMIN, new dev.herald.core.system.MessageSystemSpec("relay", "Relay", null, "smtp",
                "news@example.com", null, null, 100.0, new dev.herald.core.system.MessageSystemSpec.Smtp("localhost", 25, "none"),
                null, null, null));
        h.systems.setJobAccount(Harness.ADMIN, "relay", "mailer", "s3cret");
        var request = Harness.request(3, h.clock.instant().plusSeconds(60).toString());
        String taskId = h.schedule.schedule(Harness.ALICE, new dev.herald.core.schedule.ScheduleRequest("relay",
                request.subject(), request.text(), null, request.recipients(), request.sendAt(), null, null, null), null, null)
                .view().tasks().get(0).id();
        var relay = h.store.findMessageSystem("relay").orElseThrow();
        // the ciphertext of another system's password, copied over: the context no longer matches
        h.store.updateMessageSystem(relay.withJobAccount(new dev.herald.core.system.JobAccounts(h.cipher)
                .seal("other", "mailer", "s3cret"), h.clock.instant()));
        h.clock.advance(Duration.ofSeconds(60));

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.FAILED);
        assertThat(h.transport.delivered).isEmpty();
        assertThat(recipients(taskId)).allSatisfy(r -> assertThat(r.outcome().error()).startsWith("JobAccountUndecryptable"));
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void theJobAccountIsDecryptedForTheTransport() {
        h.systems.create(Harness.ADMIN, new dev.herald.core.system.MessageSystemSpec("relay", "Relay", null, "smtp",
                "news@example.com", null, null, 100.0, new dev.herald.core.system.MessageSystemSpec.Smtp("localhost", 25, "none"),
                null, null, null));
        h.systems.setJobAccount(Harness.ADMIN, "relay", "mailer", "s3cret");
        var request = Harness.request(1, null);
        String taskId = h.schedule.schedule(Harness.ALICE, new dev.herald.core.schedule.ScheduleRequest("relay",
                request.subject(), request.text(), null, request.recipients(), null, null, null, null), null, null)
                .view().tasks().get(0).id();

        h.fire(taskId);

        assertThat(h.transport.openedWith).singleElement().satisfies(c -> {
            assertThat(c.orElseThrow().username()).isEqualTo("mailer");
            assertThat(c.orElseThrow().password()).isEqualTo("s3cret");
        });
        assertThat(h.store.listChunks(message(taskId).id())).extracting(Chunk::state)
                .containsOnly(dev.herald.core.model.ChunkState.DONE);
    }

    @Test
    void aProviderThatRendersItself_getsEachRecipientsData_andHeraldRendersNothing() {
        h.transport.rendersTemplates();
        String taskId = h.scheduleInAMinute(3, null);
        h.clock.advance(Duration.ofSeconds(60));

        h.fire(taskId);

        assertThat(h.transport.delivered).hasSize(3).allSatisfy(mail -> {
            assertThat(mail.subject()).isNull();
            assertThat(mail.text()).isNull();
            assertThat(mail.templateData()).containsKeys("email", "name", "n", "unsubscribeUrl");
        });
    }

    @Test
    void at14PerSecond_eachSecondHoldsACallOf14_evenAcrossChunks_andTheClockIsTheDispatchs() {
        Harness slow = new Harness(dev.herald.core.schedule.SchedulingLimits.defaults().withChunkSize(100));
        slow.systems.create(Harness.ADMIN, new dev.herald.core.system.MessageSystemSpec("slow", "Slow", true, "outbox",
                "slow@example.com", null, null, 14.0, null, null, null, null));
        slow.transport.batchSize(50);
        List<long[]> calls = new java.util.ArrayList<>(); // when (ms), and how many were delivered before
        slow.transport.beforeEachBatch(() -> calls.add(new long[]{slow.clock.millis(), slow.transport.delivered.size()}));
        String sendAt = slow.clock.instant().plusSeconds(60).toString();
        String taskId = slow.schedule.schedule(Harness.ALICE, new dev.herald.core.schedule.ScheduleRequest("slow", "Hi",
                "Hello {{name}}", null, Harness.recipients(250), sendAt, "Europe/Paris", null, null), null, null)
                .view().tasks().get(0).id();
        slow.clock.advance(Duration.ofSeconds(60));
        long start = slow.clock.millis();

        slow.fire(taskId);

        assertThat(slow.transport.delivered).hasSize(250);
        List<long[]> sized = new java.util.ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            long next = i + 1 < calls.size() ? calls.get(i + 1)[1] : 250;
            sized.add(new long[]{calls.get(i)[0] - start, next - calls.get(i)[1]});
        }
        assertThat(sized).allSatisfy(call -> assertThat(call[1]).isBetween(1L, 14L));
        for (long[] call : sized) {
            long inSecond = sized.stream().filter(c -> c[0] >= call[0] && c[0] < call[0] + 1000).mapToLong(c -> c[1]).sum();
            assertThat(inSecond).as("mails in the second from %d ms", call[0]).isLessThanOrEqualTo(14);
        }
        // 250 mails at 14 a second: the last go out in the 18th second.
        assertThat(sized.get(sized.size() - 1)[0]).isBetween(17_000L, 18_100L);
    }

    @Test
    void aCallSlowToAnswer_holdsUpNoOther_theNextChunksGoOutWhileItIsInFlight() {
        Harness pipelined = new Harness();
        // Four calls of five, chunks of ten: at most three chunks open at once (two feed the calls, and one more).
        pipelined.transport.batchSize(5).concurrentCalls(4);
        CountDownLatch chunkThreeSent = new CountDownLatch(1);
        AtomicBoolean chunkOneWaitedInVain = new AtomicBoolean();
        AtomicInteger chunkOneCalls = new AtomicInteger();
        pipelined.transport.beforeEachBatch(batch -> {
            if (batch.chunkIndex() == 3) {
                chunkThreeSent.countDown();
            }
            if (batch.chunkIndex() == 1 && chunkOneCalls.incrementAndGet() == 2) {
                try {
                    // Chunk 1's second call answers once chunk 3 has gone out: a run that took answers in the order
                    // the calls went would wait here for it, the answers of the calls after it unread.
                    chunkOneWaitedInVain.compareAndSet(false, !chunkThreeSent.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        String taskId = pipelined.scheduleInAMinute(100, null);
        pipelined.clock.advance(Duration.ofSeconds(60));

        pipelined.fire(taskId);

        assertThat(chunkOneWaitedInVain).as("chunk 3 went out while chunk 1's second call was in flight").isFalse();
        assertThat(pipelined.transport.delivered).hasSize(100);
        assertThat(message(pipelined, taskId).counts().sent()).isEqualTo(100);
        assertThat(ChunkSender.chunksOpenAtMost(pipelined.transport.open(null, Optional.empty()), 10)).isEqualTo(3);
    }

    @Test
    void aChunkSaved_makesRoomAtOnce_theNextChunkGoesOutWithoutWaitingForAnAnswer() throws Exception {
        Harness pipelined = new Harness();
        // Two calls of five, chunks of ten: at most two chunks open at once, and none while a saved one is unwritten.
        pipelined.transport.batchSize(5).concurrentCalls(2);
        // Half of chunk 1 is suppressed: it goes out in one call, which answers only once chunk 2 has gone out.
        pipelined.store.addSuppressions(IntStream.range(15, 20).mapToObj(n -> new Suppression("outbox",
                "user" + n + "@example.com", SuppressionReason.COMPLAINED, pipelined.clock.instant(), null)).toList());
        CountDownLatch chunkTwoSent = new CountDownLatch(1);
        AtomicBoolean chunkOneWaitedInVain = new AtomicBoolean();
        pipelined.transport.beforeEachBatch(batch -> {
            if (batch.chunkIndex() == 2) {
                chunkTwoSent.countDown();
            }
            if (batch.chunkIndex() == 1) {
                try {
                    chunkOneWaitedInVain.set(!chunkTwoSent.await(5, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        // Chunk 0's save is held until the run has nothing left to do but wait: chunk 1's call in flight, and no
        // room for chunk 2 until chunk 0 is written.
        CountDownLatch chunkZeroSaving = new CountDownLatch(1);
        CountDownLatch chunkZeroMayBeSaved = new CountDownLatch(1);
        pipelined.store.beforeEachChunkWrite(chunk -> {
            if (chunk.index() == 0) {
                chunkZeroSaving.countDown();
                awaitQuietly(chunkZeroMayBeSaved);
            }
        });
        String taskId = pipelined.scheduleInAMinute(30, null);
        pipelined.clock.advance(Duration.ofSeconds(60));
        Thread run = new Thread(() -> pipelined.fire(taskId), "run");

        run.start();
        assertThat(chunkZeroSaving.await(5, TimeUnit.SECONDS)).as("chunk 0 handed to the recorder").isTrue();
        awaitParkedOnASemaphore(run);
        chunkZeroMayBeSaved.countDown();
        run.join(10_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(chunkOneWaitedInVain).as("chunk 2 went out as soon as chunk 0 was saved").isFalse();
        assertThat(ChunkSender.chunksOpenAtMost(pipelined.transport.open(null, Optional.empty()), 10)).isEqualTo(2);
        assertThat(message(pipelined, taskId).counts().sent()).isEqualTo(25);
        assertThat(message(pipelined, taskId).counts().suppressed()).isEqualTo(5);
    }

    /** Waits until the thread is parked on a semaphore's signal (the run's, the only one it waits on). */
    private static void awaitParkedOnASemaphore(Thread thread) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(LockSupport.getBlocker(thread) != null
                && LockSupport.getBlocker(thread).getClass().getEnclosingClass() == Semaphore.class)) {
            assertThat(System.nanoTime()).as("the run waits on its signal").isLessThan(giveUp);
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTransportThatTakesSeveralCallsAtOnce_getsThemAtOnce_andEachRecipientGetsItsOwnOutcome() {
        Harness parallel = new Harness(dev.herald.core.schedule.SchedulingLimits.defaults().withChunkSize(100));
        CountDownLatch fourAtOnce = new CountDownLatch(4);
        parallel.transport.batchSize(10).concurrentCalls(4).beforeEachBatch(() -> {
            fourAtOnce.countDown();
            try {
                // The first calls wait for each other: four only arrive together if they are sent together.
                assertThat(fourAtOnce.await(5, TimeUnit.SECONDS)).as("four calls in flight").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String taskId = parallel.scheduleInAMinute(250, null);
        String messageId = parallel.store.findTask(taskId).orElseThrow().messageId();
        parallel.clock.advance(Duration.ofSeconds(60));

        parallel.fire(taskId);

        assertThat(parallel.transport.mostInFlight.get()).isEqualTo(4);
        assertThat(parallel.transport.delivered).hasSize(250);
        var chunks = parallel.store.listChunks(messageId);
        for (var chunk : chunks) {
            for (int i = 0; i < chunk.recipients().size(); i++) {
                assertThat(chunk.recipients().get(i).outcome().providerMessageId())
                        .isEqualTo("provider-" + messageId + "-" + chunk.index() + "-" + i);
            }
        }
        assertThat(parallel.store.findMessage(messageId).orElseThrow().counts().sent()).isEqualTo(250);
    }

    @Test
    void atLeastOnce_aRunWritesAboutOncePerChunk_bookkeepingFoldedIntoPeriodicWrites() {
        Harness pipelined = new Harness();
        pipelined.transport.batchSize(5).concurrentCalls(8);
        String taskId = pipelined.scheduleInAMinute(1_000, null); // 100 chunks of 10
        pipelined.clock.advance(Duration.ofSeconds(60));
        int before = pipelined.store.writes();

        pipelined.fire(taskId);

        int writes = pipelined.store.writes() - before;
        // Per chunk its save, and per five chunks (the most open at once here) the bound of the chunks the run may
        // send to; the counts after the first chunk and at the end (the clock stands still: no second passes between);
        // the claim, the run record, the message's status twice, the run's end and the release.
        assertThat(ChunkSender.chunksOpenAtMost(pipelined.transport.open(null, Optional.empty()), 10)).isEqualTo(5);
        assertThat(writes).isEqualTo(100 + 20 + 2 + 6);
        assertThat(message(pipelined, taskId).counts().sent()).isEqualTo(1_000);
    }

    @Test
    void crashWithSeveralChunksOpen_atLeastOnce_resendsAtMostTheChunksOpen_andTheCountsComeOutExact() {
        Harness pipelined = new Harness();
        pipelined.transport.batchSize(5).concurrentCalls(8).crashAfter(333);
        String taskId = pipelined.scheduleInAMinute(1_000, null);
        pipelined.clock.advance(Duration.ofSeconds(60));
        assertThatThrownBy(() -> pipelined.fire(taskId)).isInstanceOf(ScriptedTransport.SimulatedCrash.class);

        pipelined.transport.crashAfter(-1);
        pipelined.clock.advance(Duration.ofMinutes(2));
        assertThat(pipelined.dispatch.dispatch(new FireRequest(taskId, Trigger.RECOVERY, null), Deadline.none()).outcome())
                .isEqualTo(DispatchResult.Outcome.COMPLETED);

        long twice = 0;
        for (int i = 0; i < 1_000; i++) {
            long deliveries = pipelined.transport.deliveriesTo("user" + i + "@example.com");
            assertThat(deliveries).as("user" + i).isBetween(1L, 2L);
            twice += deliveries - 1;
        }
        // The bound README states: the chunks open when the run died, at most five of ten recipients here.
        assertThat(twice).isPositive().isLessThanOrEqualTo(5 * 10);
        Message message = message(pipelined, taskId);
        assertThat(message.counts().sent()).isEqualTo(1_000);
        assertThat(message.counts().pending()).isZero();
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
    }

    private static Message message(Harness harness, String taskId) {
        return harness.store.findMessage(harness.store.findTask(taskId).orElseThrow().messageId()).orElseThrow();
    }
}
