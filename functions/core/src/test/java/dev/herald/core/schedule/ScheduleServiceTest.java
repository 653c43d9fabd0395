package dev.herald.core.schedule;

import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.IdempotencyMismatchException;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.TaskState;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleServiceTest {

    private final Harness h = new Harness();

    private List<FieldError> errorsOf(ScheduleRequest request) {
        try {
            h.schedule.schedule(Harness.ALICE, request, null, null);
        } catch (ValidationException e) {
            return e.errors();
        }
        throw new AssertionError("expected a validation error");
    }

    @Test
    void schedule_storesMessageChunksAndTask_armsIt_andAnswersTheView() {
        ScheduleService.Accepted accepted = h.schedule.schedule(Harness.ALICE,
                Harness.request(25, "2030-01-20T09:00:00"), null, null);

        MessageView view = accepted.view();
        assertThat(view.message().status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(view.message().sendAt()).isEqualTo(Instant.parse("2030-01-20T08:00:00Z"));
        assertThat(view.message().timeZone()).isEqualTo("Europe/Paris");
        assertThat(view.message().counts().pending()).isEqualTo(25);
        assertThat(view.tasks()).singleElement().satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.ARMED);
            assertThat(t.fireAt()).isEqualTo(Instant.parse("2030-01-20T08:00:00Z"));
            assertThat(t.category()).isEqualTo("default");
        });
        assertThat(h.scheduler.armed).extracting(t -> t.id()).containsExactly(view.tasks().get(0).id());
        assertThat(h.store.listChunks(view.message().id())).hasSize(3);
    }

    @Test
    void withoutSendAt_theMessageIsFiredAtOnce_throughTheSamePath() {
        MessageView view = h.schedule.schedule(Harness.ALICE, Harness.request(2, null), null, null).view();

        assertThat(h.scheduler.firedNow).extracting(t -> t.id()).containsExactly(view.tasks().get(0).id());
        assertThat(h.scheduler.armed).isEmpty();
    }

    @Test
    void everyFieldAtFault_isNamed_andNothingIsStored() {
        List<RecipientInput> recipients = new ArrayList<>(List.of(
                new RecipientInput("not-an-address", null, Map.of()),
                new RecipientInput("ok@example.com", "Ann\r\nBcc: x@evil.example", Map.of()),
                new RecipientInput("OK@example.com", null, Map.of()),
                new RecipientInput("a".repeat(65) + "@example.com", null, Map.of()),
                new RecipientInput("inject@example.com", null, Map.of("name2", "x\ny"))));
        ScheduleRequest request = new ScheduleRequest("nope", "Hi\n{{name2}}", null, null, recipients,
                "2020-01-01T00:00:00Z", null, null, "sometimes");

        List<FieldError> errors = errorsOf(request);

        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder(
                "sendAt", "messageSystem", "delivery", "subject", "text",
                "recipients[0].email", "recipients[1].name", "recipients[2].email", "recipients[3].email");
        assertThat(errors).filteredOn(e -> e.field().equals("recipients[2].email"))
                .extracting(FieldError::message).containsExactly("duplicates recipients[1].email");
        assertThat(h.store.listTasksByState(java.util.EnumSet.allOf(TaskState.class))).isEmpty();
    }

    @Test
    void dataThatPutsALineBreakIntoTheSubject_isRejected() {
        ScheduleRequest request = new ScheduleRequest("outbox", "Hi {{who}}", "body", null,
                List.of(new RecipientInput("a@example.com", null, Map.of("who", "x\r\nBcc: y@example.com"))),
                null, null, null, null);

        assertThat(errorsOf(request)).extracting(FieldError::field).containsExactly("recipients[0].data");
    }

    @Test
    void tooManyRecipients_badTemplate_disabledScheduling_areRejected() {
        Harness small = new Harness(SchedulingLimits.defaults().withChunkSize(10));
        ScheduleRequest tooMany = Harness.request(10_001, null);
        assertThatThrownBy(() -> small.schedule.schedule(Harness.ALICE, tooMany, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("recipients"));

        ScheduleRequest badTemplate = new ScheduleRequest("outbox", "Hi", "{{#each x}}", null,
                Harness.recipients(1), null, null, null, null);
        assertThat(errorsOf(badTemplate)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("text");
            assertThat(e.message()).contains("line 1");
        });

        var outbox = h.store.findMessageSystem("outbox").orElseThrow();
        h.store.updateMessageSystem(new dev.herald.core.model.MessageSystem(outbox.id(), outbox.name(), true,
                outbox.transport(), outbox.from(), null, outbox.maxSendRate(), null, null,
                new dev.herald.core.model.Scheduling(false, "default", null), null, null, outbox.createdAt(), outbox.updatedAt(),
                outbox.version()));
        assertThat(errorsOf(Harness.request(1, "2030-02-01T09:00:00"))).extracting(FieldError::field)
                .containsExactly("sendAt");
        assertThat(h.schedule.schedule(Harness.ALICE, Harness.request(1, null), null, null).view().message().status())
                .isEqualTo(MessageStatus.SCHEDULED);
    }

    @Test
    void templateProblems_areNamedByTheTemplateAtFault_inTheApisWords_notByTheRecipientsData() {
        ScheduleRequest request = new ScheduleRequest("outbox", "Hi {{> header}}", "{{log \"x\\nFORGED\"}}",
                "{{#*inline \"r\"}}{{> r}}{{/inline}}{{> r}}", Harness.recipients(2), null, null, null, null);
        assertThat(errorsOf(request)).extracting(FieldError::field).containsExactlyInAnyOrder("subject", "text");

        ScheduleRequest recursive = new ScheduleRequest("outbox", "Hi", "x", "{{#*inline \"r\"}}{{> r}}{{/inline}}{{> r}}",
                Harness.recipients(2), null, null, null, null);
        assertThat(errorsOf(recursive)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("html");
            assertThat(e.message()).contains("more than 10 deep");
        });
    }

    @Test
    void renderingForEveryRecipient_isLimitedInTimeAtIntake_asAWhole() {
        Harness quick = new Harness(SchedulingLimits.defaults().withIntakeRenderTime(java.time.Duration.ZERO));

        assertThatThrownBy(() -> quick.schedule.schedule(Harness.ALICE, Harness.request(3, null), null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.message()).contains("to render for all recipients")));
    }

    @Test
    void idempotencyKey_sameRequestReplays_differentRequestIsRefused() {
        var first = h.schedule.schedule(Harness.ALICE, Harness.request(2, "2030-02-01T09:00:00"), "k1", "fp-1");
        var again = h.schedule.schedule(Harness.ALICE, Harness.request(2, "2030-02-01T09:00:00"), "k1", "fp-1");
        var otherCaller = h.schedule.schedule(Harness.BOB, Harness.request(2, "2030-02-01T09:00:00"), "k1", "fp-1");

        assertThat(again.replayed()).isTrue();
        assertThat(again.view().message().id()).isEqualTo(first.view().message().id());
        assertThat(otherCaller.view().message().id()).isNotEqualTo(first.view().message().id());
        assertThat(h.scheduler.armed).hasSize(2);
        assertThatThrownBy(() -> h.schedule.schedule(Harness.ALICE, Harness.request(3, null), "k1", "fp-2"))
                .isInstanceOf(IdempotencyMismatchException.class);
    }

    @Test
    void aSenderSeesOnlyOwnMessages_anAdminSeesAll() {
        String alices = h.schedule.schedule(Harness.ALICE, Harness.request(1, null), null, null).view().message().id();
        h.schedule.schedule(Harness.BOB, Harness.request(1, null), null, null);

        assertThatThrownBy(() -> h.views.get(Harness.BOB, alices)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> h.lifecycle.cancel(Harness.BOB, alices)).isInstanceOf(NotFoundException.class);
        assertThat(h.views.list(Harness.BOB, null, 10, null).items()).hasSize(1);
        assertThat(h.views.list(Harness.ADMIN, null, 10, null).items()).hasSize(2);
        assertThat(h.views.get(Harness.ADMIN, alices).message().ownerId()).isEqualTo("alice");
    }

    @Test
    void reschedule_movesTheTaskAndRearmsIt_untilItFires() {
        MessageView view = h.schedule.schedule(Harness.ALICE, Harness.request(1, "2030-02-01T09:00:00"), null, null).view();
        String id = view.message().id();

        MessageView moved = h.lifecycle.reschedule(Harness.ALICE, id, "2030-02-02T10:30:00+00:00", null, null);

        assertThat(moved.message().sendAt()).isEqualTo(Instant.parse("2030-02-02T10:30:00Z"));
        assertThat(moved.tasks().get(0).fireAt()).isEqualTo(Instant.parse("2030-02-02T10:30:00Z"));
        assertThat(moved.tasks().get(0).state()).isEqualTo(TaskState.ARMED);
        assertThat(h.scheduler.rearmed).hasSize(1);

        h.clock.set(Instant.parse("2030-02-02T10:30:00Z"));
        h.fire(moved.tasks().get(0).id());
        assertThatThrownBy(() -> h.lifecycle.reschedule(Harness.ALICE, id, "2030-03-01T10:00:00Z", null, null))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void cancel_beforeFiring_disarms_isRepeatable_andRefusedOnceSent() {
        String id = h.schedule.schedule(Harness.ALICE, Harness.request(25, "2030-02-01T09:00:00"), null, null)
                .view().message().id();

        MessageView cancelled = h.lifecycle.cancel(Harness.ALICE, id);
        MessageView again = h.lifecycle.cancel(Harness.ALICE, id);

        assertThat(cancelled.message().status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(cancelled.tasks().get(0).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(cancelled.message().counts()).isEqualTo(new dev.herald.core.model.Counts(25, 0, 0, 0, 0, 25, 0, 0, 0, 0, 0, 0));
        assertThat(h.views.recipients(Harness.ALICE, id, RecipientState.CANCELLED, 100, null).items()).hasSize(25);
        assertThat(again.message().status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(again.message().counts()).isEqualTo(cancelled.message().counts());
        assertThat(h.scheduler.disarmed).hasSize(1);

        MessageView sentNow = h.schedule.schedule(Harness.ALICE, Harness.request(1, null), null, null).view();
        h.fire(sentNow.tasks().get(0).id());
        assertThatThrownBy(() -> h.lifecycle.cancel(Harness.ALICE, sentNow.message().id()))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void recipients_arePagedWithCursor_andFilteredByState() {
        MessageView view = h.schedule.schedule(Harness.ALICE, Harness.request(25, null), null, null).view();
        h.transport.script(mail -> mail.to().email().startsWith("user1")
                ? dev.herald.core.port.Delivery.permanent("Rejected") : dev.herald.core.port.Delivery.delivered("x"));
        h.fire(view.tasks().get(0).id());
        String id = view.message().id();

        var page1 = h.views.recipients(Harness.ALICE, id, null, 12, null);
        var page2 = h.views.recipients(Harness.ALICE, id, null, 12, page1.nextCursor());
        var page3 = h.views.recipients(Harness.ALICE, id, null, 12, page2.nextCursor());
        var failed = h.views.recipients(Harness.ALICE, id, RecipientState.FAILED, 100, null);

        assertThat(page1.items()).extracting(RecipientView::index).startsWith(0, 1).hasSize(12);
        assertThat(page2.items()).extracting(RecipientView::index).startsWith(12).hasSize(12);
        assertThat(page3.items()).extracting(RecipientView::index).containsExactly(24);
        assertThat(page3.nextCursor()).isNull();
        assertThat(failed.items()).extracting(v -> v.recipient().email())
                .containsExactly("user1@example.com", "user10@example.com", "user11@example.com",
                        "user12@example.com", "user13@example.com", "user14@example.com", "user15@example.com",
                        "user16@example.com", "user17@example.com", "user18@example.com", "user19@example.com");
        assertThatThrownBy(() -> h.views.recipients(Harness.ALICE, id, null, 10, "garbage!"))
                .isInstanceOf(ValidationException.class);
    }
}
