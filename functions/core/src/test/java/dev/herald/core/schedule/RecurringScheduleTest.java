package dev.herald.core.schedule;

import dev.herald.core.audience.MemberInput;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RecurringOrigin;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.model.ScheduleOccurrence;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.herald.core.testing.Harness.ADMIN;
import static dev.herald.core.testing.Harness.ALICE;
import static dev.herald.core.testing.Harness.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Recurring schedules in the core, on a clock that stands still at Tuesday 2030-01-15 10:00 UTC. */
class RecurringScheduleTest {

    private static final String MONDAYS_AT_NINE = "cron(0 9 ? * MON *)";

    private final Harness harness = new Harness();
    private final AudienceList list = harness.lists.create(ALICE, "outbox", "Readers");

    private RecurringScheduleRequest weekly(String listId, String expression, String start, String end) {
        return new RecurringScheduleRequest("Weekly news", "outbox", "News for {{name}}", "Hello {{name}}", null, listId,
                expression, "Europe/Vienna", start, end);
    }

    private void members(String... addresses) {
        harness.lists.putMembers(ALICE, list.id(), java.util.Arrays.stream(addresses)
                .map(a -> new MemberInput(a, a.substring(0, a.indexOf('@')), Map.of(), null)).toList());
    }

    @Test
    void aSchedule_isArmed_andShowsItsNextFiveOccurrences_inItsZone() {
        RecurringScheduleView created = harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null));

        assertThat(created.schedule().state()).isEqualTo(RecurringScheduleState.ACTIVE);
        assertThat(created.schedule().ownerId()).isEqualTo("alice");
        assertThat(harness.recurringTriggers.armed).containsKey(created.schedule().id());
        // 09:00 in Vienna is 08:00 UTC in winter.
        assertThat(created.nextOccurrences()).containsExactly(Instant.parse("2030-01-21T08:00:00Z"),
                Instant.parse("2030-01-28T08:00:00Z"), Instant.parse("2030-02-04T08:00:00Z"),
                Instant.parse("2030-02-11T08:00:00Z"), Instant.parse("2030-02-18T08:00:00Z"));
        assertThat(harness.recurring.get(ALICE, created.schedule().id()).nextOccurrences()).hasSize(5);
        assertThat(harness.recurring.list(ALICE, null, 10).items()).hasSize(1);
        assertThat(harness.recurring.list(BOB, null, 10).items()).isEmpty();
        assertThatThrownBy(() -> harness.recurring.get(BOB, created.schedule().id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aBadSchedule_isRefused_namingEveryField_andStoresNothing() {
        AudienceList bobsList = harness.lists.create(BOB, "outbox", "Bob's");
        RecurringScheduleRequest bad = new RecurringScheduleRequest(" ", "outbox", "News {{#if}}", "Hi", null,
                bobsList.id(), "cron(0 9 * * MON *)", "Europe/Vienna", null, null);

        assertThatThrownBy(() -> harness.recurring.create(ALICE, bad))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("name", "subject", "list", "expression"));
        assertThat(harness.store.listRecurringSchedules(null, null, 10).items()).isEmpty();
        assertThat(harness.recurringTriggers.armed).isEmpty();
    }

    @Test
    void aRuleThatNeverFires_orFiresTooOften_orHasNoList_isRefused() {
        assertThatThrownBy(() -> harness.recurring.create(ALICE, weekly(list.id(), "cron(0 9 30 2 ? *)", null, null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.field() + " " + f.message()).startsWith("expression never fires")));
        assertThatThrownBy(() -> harness.recurring.create(ALICE, weekly(list.id(), "rate(30 minutes)", null, null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.message()).contains("more often than the minimum of PT1H")));
        assertThatThrownBy(() -> harness.recurring.create(ALICE, weekly(null, MONDAYS_AT_NINE, "2030-03-01T00:00",
                "2030-02-01T00:00")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("list", "end"));
    }

    @Test
    void anOccurrence_sendsToTheListAsItIsThen_minusSuppressions_once_andIsInTheHistory() {
        members("ann@example.com", "ben@example.com");
        String id = harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null)).schedule().id();
        members("cat@example.com"); // joins after the schedule was made
        harness.suppressions.add(ADMIN, "outbox", List.of("ben@example.com"));
        Instant monday = Instant.parse("2030-01-21T08:00:00Z");
        harness.clock.set(monday);

        ScheduleOccurrence occurrence = harness.recurring.occur(id, monday).orElseThrow();
        ScheduleOccurrence again = harness.recurring.occur(id, monday).orElseThrow();

        assertThat(again.messageId()).isEqualTo(occurrence.messageId());
        assertThat(harness.store.listMessages(new dev.herald.core.port.MessageQuery(null, null, 10, null)).items())
                .as("a repeated firing creates nothing").hasSize(1);
        Message message = harness.store.findMessage(occurrence.messageId()).orElseThrow();
        assertThat(message.ownerId()).isEqualTo("alice");
        assertThat(message.audience().listId()).isEqualTo(list.id());
        assertThat(message.origin()).isEqualTo(new RecurringOrigin(id, monday));
        assertThat(harness.scheduler.firedNow).hasSize(1);
        harness.fire(harness.scheduler.firedNow.get(0).id());
        assertThat(harness.transport.delivered).extracting(OutgoingMail::subject)
                .containsExactlyInAnyOrder("News for ann", "News for cat");

        List<OccurrenceView> history = harness.recurring.history(ALICE, id, null, 10).items();
        assertThat(history).singleElement().satisfies(h -> {
            assertThat(h.occurrence().at()).isEqualTo(monday);
            assertThat(h.message().orElseThrow().message().status()).isEqualTo(MessageStatus.SENT);
            assertThat(h.message().orElseThrow().counts().sent()).isEqualTo(2);
            assertThat(h.message().orElseThrow().counts().suppressed()).isEqualTo(1);
        });
    }

    @Test
    void aPausedSchedule_createsNothing_untilResumed() {
        members("ann@example.com");
        String id = harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null)).schedule().id();

        RecurringScheduleView paused = harness.recurring.pause(ALICE, id);
        assertThat(paused.nextOccurrences()).isEmpty();
        assertThat(harness.recurringTriggers.armed.get(id).state()).isEqualTo(RecurringScheduleState.PAUSED);
        assertThat(harness.recurring.occur(id, Instant.parse("2030-01-21T08:00:00Z"))).isEmpty();
        assertThat(harness.scheduler.firedNow).isEmpty();

        harness.clock.set(Instant.parse("2030-01-22T00:00:00Z"));
        RecurringScheduleView resumed = harness.recurring.resume(ALICE, id);
        assertThat(resumed.nextOccurrences()).first().isEqualTo(Instant.parse("2030-01-28T08:00:00Z"));
        assertThat(harness.recurringTriggers.armed.get(id).state()).isEqualTo(RecurringScheduleState.ACTIVE);
        assertThat(harness.recurring.occur(id, Instant.parse("2030-01-28T08:00:00Z"))).isPresent();
        assertThat(harness.scheduler.firedNow).hasSize(1);
    }

    @Test
    void anOccurrenceItCannotSend_isRecordedWithTheProblem() {
        String id = harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null)).schedule().id();
        harness.lists.delete(ALICE, list.id());

        ScheduleOccurrence occurrence = harness.recurring.occur(id, Instant.parse("2030-01-21T08:00:00Z")).orElseThrow();

        assertThat(occurrence.messageId()).isNull();
        assertThat(occurrence.problem()).startsWith("list: unknown list");
        assertThat(harness.recurring.history(ALICE, id, null, 10).items()).singleElement()
                .satisfies(h -> assertThat(h.message()).isEmpty());
    }

    @Test
    void aTriggerThatCannotBeArmed_failsTheCall_andLeavesTheScheduleAsItWas() {
        harness.recurringTriggers.failNextArm = new IllegalStateException("scheduler unavailable");
        assertThatThrownBy(() -> harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null)))
                .hasMessage("scheduler unavailable");
        assertThat(harness.recurring.list(ALICE, null, 10).items()).as("nothing stored").isEmpty();

        String id = harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null)).schedule().id();
        harness.recurringTriggers.failNextArm = new IllegalStateException("scheduler unavailable");
        assertThatThrownBy(() -> harness.recurring.update(ALICE, id, weekly(list.id(), "rate(1 day)", null, null)))
                .hasMessage("scheduler unavailable");
        harness.recurringTriggers.failNextArm = new IllegalStateException("scheduler unavailable");
        assertThatThrownBy(() -> harness.recurring.pause(ALICE, id)).hasMessage("scheduler unavailable");

        RecurringScheduleView stored = harness.recurring.get(ALICE, id);
        assertThat(stored.schedule().expression()).as("the armed rule").isEqualTo(MONDAYS_AT_NINE);
        assertThat(stored.schedule().state()).isEqualTo(RecurringScheduleState.ACTIVE);
        assertThat(harness.recurringTriggers.armed.get(id)).as("the trigger").extracting(RecurringSchedule::expression, RecurringSchedule::state)
                .containsExactly(MONDAYS_AT_NINE, RecurringScheduleState.ACTIVE);
        assertThat(harness.recurring.pause(ALICE, id).schedule().state()).as("then it works")
                .isEqualTo(RecurringScheduleState.PAUSED);
    }

    @Test
    void anUpdate_replacesTheRuleAndRearms_andADelete_disarms_evenAFiringThatComesLate() {
        String id = harness.recurring.create(ALICE, weekly(list.id(), MONDAYS_AT_NINE, null, null)).schedule().id();

        RecurringScheduleView updated = harness.recurring.update(ALICE, id, weekly(list.id(), "rate(1 day)",
                "2030-02-01T07:30", "2030-02-03T07:30"));
        assertThat(updated.nextOccurrences()).containsExactly(Instant.parse("2030-02-01T06:30:00Z"),
                Instant.parse("2030-02-02T06:30:00Z"), Instant.parse("2030-02-03T06:30:00Z"));
        assertThat(harness.recurringTriggers.armed.get(id).expression()).isEqualTo("rate(1 day)");
        assertThatThrownBy(() -> harness.recurring.update(BOB, id, weekly(list.id(), MONDAYS_AT_NINE, null, null)))
                .isInstanceOf(NotFoundException.class);

        harness.recurring.delete(ALICE, id);
        assertThat(harness.recurringTriggers.armed).isEmpty();
        assertThatThrownBy(() -> harness.recurring.get(ALICE, id)).isInstanceOf(NotFoundException.class);

        harness.recurringTriggers.arm(updated.schedule()); // a trigger whose deletion was lost
        assertThat(harness.recurring.occur(id, Instant.parse("2030-02-01T06:30:00Z"))).isEmpty();
        assertThat(harness.recurringTriggers.armed).as("disarmed by its own firing").isEmpty();
    }
}
