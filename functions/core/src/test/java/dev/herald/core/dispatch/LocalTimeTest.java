package dev.herald.core.dispatch;

import dev.herald.core.audience.MemberInput;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.schedule.MessageView;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.core.testing.Harness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Local-time messages: each recipient gets the message at its local date-time in their own zone; one task per
 * distinct instant, each sending only its recipients; the message ends with its last task, its counts adding up.
 */
class LocalTimeTest {

    private final Harness h = new Harness();

    private static RecipientInput in(String email, String timeZone) {
        return new RecipientInput(email, null, Map.of(), timeZone);
    }

    /** From Kiribati (UTC+14) to American Samoa (UTC-11); one recipient without a zone gets the fallback, Paris. */
    private static final List<RecipientInput> AROUND_THE_WORLD = List.of(
            in("kiri1@example.com", "Pacific/Kiritimati"), in("kiri2@example.com", "Pacific/Kiritimati"),
            in("berlin@example.com", "Europe/Berlin"), in("paris@example.com", null),
            in("ny1@example.com", "America/New_York"), in("ny2@example.com", "America/New_York"),
            in("ny3@example.com", "America/New_York"), in("pago@example.com", "Pacific/Pago_Pago"));

    private MessageView scheduleLocal(String sendAt, List<RecipientInput> recipients) {
        return h.schedule.schedule(ALICE, localRequest(sendAt, "Europe/Paris", recipients, null), null, null).view();
    }

    private static ScheduleRequest localRequest(String sendAt, String timeZone, List<RecipientInput> recipients, String list) {
        return new ScheduleRequest("outbox", "Hello", "Good morning", null, recipients, sendAt, timeZone, null, null, list,
                null, null, true);
    }

    private List<String> deliveredTo() {
        return h.transport.delivered.stream().map(m -> m.to().email()).toList();
    }

    private Message message(String id) {
        return h.store.findMessage(id).orElseThrow();
    }

    @Test
    void aLocalTimeMessage_isOneTaskPerDistinctInstant_eachSendingOnlyItsZones_andEndsWithItsLastTask() {
        h.clock.set(Instant.parse("2030-03-04T00:00:00Z"));

        MessageView view = scheduleLocal("2030-03-05T09:00", AROUND_THE_WORLD);

        assertThat(view.tasks()).extracting(Task::fireAt, Task::timeZones).containsExactly(
                tuple(Instant.parse("2030-03-04T19:00:00Z"), List.of("Pacific/Kiritimati")),
                tuple(Instant.parse("2030-03-05T08:00:00Z"), List.of("Europe/Berlin", "Europe/Paris")),
                tuple(Instant.parse("2030-03-05T14:00:00Z"), List.of("America/New_York")),
                tuple(Instant.parse("2030-03-05T20:00:00Z"), List.of("Pacific/Pago_Pago")));
        assertThat(h.scheduler.armed).hasSize(4);
        assertThat(view.message().sendAt()).isEqualTo(Instant.parse("2030-03-04T19:00:00Z"));
        assertThat(view.message().localSendAt()).isEqualTo(LocalDateTime.parse("2030-03-05T09:00"));
        assertThat(view.taskCounts().values()).extracting(Counts::pending).containsExactly(2, 2, 3, 1);

        List<Task> tasks = view.tasks();
        h.clock.set(tasks.get(0).fireAt());
        assertThat(h.fire(tasks.get(0).id()).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(deliveredTo()).containsExactlyInAnyOrder("kiri1@example.com", "kiri2@example.com");
        assertThat(message(view.message().id()).status()).as("other tasks still to send").isEqualTo(MessageStatus.SENDING);
        assertThat(h.store.findTask(tasks.get(0).id()).orElseThrow().state()).isEqualTo(TaskState.DONE);

        h.clock.set(tasks.get(1).fireAt());
        h.fire(tasks.get(1).id());
        assertThat(deliveredTo()).hasSize(4).contains("berlin@example.com", "paris@example.com");
        h.clock.set(tasks.get(2).fireAt());
        h.fire(tasks.get(2).id());
        assertThat(message(view.message().id()).status()).isEqualTo(MessageStatus.SENDING);
        h.clock.set(tasks.get(3).fireAt());
        h.fire(tasks.get(3).id());

        assertThat(deliveredTo()).hasSize(8).doesNotHaveDuplicates();
        Message sent = message(view.message().id());
        assertThat(sent.status()).isEqualTo(MessageStatus.SENT);
        assertThat(sent.counts().sent()).isEqualTo(8);
        assertThat(sent.counts().pending()).isZero();
        MessageView after = h.views.get(ALICE, sent.id());
        assertThat(after.taskCounts().values()).extracting(Counts::sent).containsExactly(2, 2, 3, 1);
    }

    @Test
    void eachZonesRulesDecide_aTimeInParisGapMovesForward_andMeetsLondonsSameInstant() {
        h.clock.set(Instant.parse("2030-03-20T00:00:00Z"));

        // 31 March 2030: Paris skips 02:00-03:00 (02:30 becomes 03:30 CEST, 01:30 UTC); London is on BST from 01:00
        // (02:30 BST is 01:30 UTC too). New York changed its clocks on 10 March: 02:30 EDT is 06:30 UTC.
        MessageView view = scheduleLocal("2030-03-31T02:30", List.of(in("paris@example.com", "Europe/Paris"),
                in("london@example.com", "Europe/London"), in("ny@example.com", "America/New_York")));

        assertThat(view.tasks()).extracting(Task::fireAt, Task::timeZones).containsExactly(
                tuple(Instant.parse("2030-03-31T01:30:00Z"), List.of("Europe/London", "Europe/Paris")),
                tuple(Instant.parse("2030-03-31T06:30:00Z"), List.of("America/New_York")));
    }

    @Test
    void whereTheLocalTimeHasPassed_thoseZonesGetItNow_andALocalTimePassedEverywhereIsRefused() {
        h.clock.set(Instant.parse("2030-03-05T10:00:00Z"));

        MessageView view = scheduleLocal("2030-03-05T09:00", AROUND_THE_WORLD);

        assertThat(view.tasks()).extracting(Task::fireAt, Task::timeZones).containsExactly(
                tuple(Instant.parse("2030-03-05T10:00:00Z"), List.of("Europe/Berlin", "Europe/Paris", "Pacific/Kiritimati")),
                tuple(Instant.parse("2030-03-05T14:00:00Z"), List.of("America/New_York")),
                tuple(Instant.parse("2030-03-05T20:00:00Z"), List.of("Pacific/Pago_Pago")));
        assertThat(h.scheduler.firedNow).extracting(Task::id).containsExactly(view.tasks().get(0).id());
        assertThat(h.scheduler.armed).extracting(Task::id)
                .containsExactly(view.tasks().get(1).id(), view.tasks().get(2).id());

        h.clock.set(Instant.parse("2030-03-06T10:00:00Z"));
        assertThatThrownBy(() -> scheduleLocal("2030-03-05T09:00", AROUND_THE_WORLD))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("sendAt"));
    }

    @Test
    void aLocalTimeRequest_namesEveryFieldAtFault() {
        ScheduleRequest request = localRequest("2030-03-05T09:00+01:00", null,
                List.of(in("a@example.com", null), in("b@example.com", "Mars/Olympus_Mons")), null);

        assertThatThrownBy(() -> h.schedule.schedule(ALICE, request, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field)
                            .containsExactlyInAnyOrder("timeZone", "sendAt", "recipients[1].timeZone");
                    assertThat(e.errors()).filteredOn(f -> f.field().equals("sendAt")).extracting(FieldError::message)
                            .singleElement().asString().contains("without an offset");
                });
        assertThat(h.store.listMessages(new dev.herald.core.port.MessageQuery(null, null, 10, null)).items()).isEmpty();
    }

    @Test
    void cancelBetweenInstants_endsEveryTaskLeft_andTheCountsAddUpAcrossThem() {
        h.clock.set(Instant.parse("2030-03-04T00:00:00Z"));
        MessageView view = scheduleLocal("2030-03-05T09:00", AROUND_THE_WORLD);
        h.clock.set(view.tasks().get(0).fireAt());
        h.fire(view.tasks().get(0).id());

        MessageView cancelled = h.lifecycle.cancel(ALICE, view.message().id());

        assertThat(cancelled.message().status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(cancelled.tasks()).extracting(Task::state)
                .containsExactly(TaskState.DONE, TaskState.CANCELLED, TaskState.CANCELLED, TaskState.CANCELLED);
        assertThat(h.scheduler.disarmed).hasSize(3);
        Counts counts = cancelled.message().counts();
        assertThat(counts.sent()).isEqualTo(2);
        assertThat(counts.cancelled()).isEqualTo(6);
        assertThat(counts.pending()).isZero();
        assertThat(cancelled.taskCounts().values()).extracting(Counts::cancelled).containsExactly(0, 2, 3, 1);
    }

    @Test
    void pauseAndResume_coverEveryTask_eachResumingAtItsOwnInstant() {
        h.clock.set(Instant.parse("2030-03-04T00:00:00Z"));
        MessageView view = scheduleLocal("2030-03-05T09:00", AROUND_THE_WORLD);

        assertThat(h.lifecycle.pause(ALICE, view.message().id()).tasks()).extracting(Task::state)
                .containsOnly(TaskState.PAUSED);
        MessageView resumed = h.lifecycle.resume(ALICE, view.message().id(), null, null);

        assertThat(resumed.tasks()).extracting(Task::fireAt)
                .containsExactlyElementsOf(view.tasks().stream().map(Task::fireAt).toList());
        assertThat(resumed.message().status()).isEqualTo(MessageStatus.SCHEDULED);
    }

    @Test
    void reschedule_movesEveryTaskByItsZones_andRefusesADateOnWhichZonesSharingATaskPartWays() {
        h.clock.set(Instant.parse("2030-01-10T00:00:00Z"));
        // In January London and Abidjan are both on UTC: one task. In July London is on BST, an hour ahead.
        MessageView view = scheduleLocal("2030-01-20T09:00", List.of(in("london@example.com", "Europe/London"),
                in("abidjan@example.com", "Africa/Abidjan"), in("tokyo@example.com", "Asia/Tokyo")));
        assertThat(view.tasks()).extracting(Task::timeZones)
                .containsExactly(List.of("Asia/Tokyo"), List.of("Africa/Abidjan", "Europe/London"));

        MessageView moved = h.lifecycle.reschedule(ALICE, view.message().id(), "2030-02-01T10:00", null, null);

        assertThat(moved.tasks()).extracting(Task::fireAt).containsExactly(
                Instant.parse("2030-02-01T01:00:00Z"), Instant.parse("2030-02-01T10:00:00Z"));
        assertThat(moved.message().localSendAt()).isEqualTo(LocalDateTime.parse("2030-02-01T10:00"));
        assertThat(moved.message().sendAt()).isEqualTo(Instant.parse("2030-02-01T01:00:00Z"));
        assertThat(h.scheduler.rearmed).hasSize(2);

        assertThatThrownBy(() -> h.lifecycle.reschedule(ALICE, view.message().id(), "2030-07-01T10:00", null, null))
                .isInstanceOf(ConflictException.class).hasMessageContaining("Africa/Abidjan, Europe/London");
        assertThat(h.store.findMessage(view.message().id()).orElseThrow().localSendAt())
                .isEqualTo(LocalDateTime.parse("2030-02-01T10:00"));
    }

    @Test
    void aListsMembers_getItInTheirOwnZones_readWhenTheMessageIsScheduled() {
        h.clock.set(Instant.parse("2030-03-04T00:00:00Z"));
        AudienceList list = h.lists.create(ALICE, "outbox", "Customers");
        List<MemberInput> members = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            members.add(new MemberInput("tokyo" + i + "@example.com", null, null, "Asia/Tokyo"));
        }
        members.add(new MemberInput("anywhere@example.com", null, null, null));
        h.lists.putMembers(ALICE, list.id(), members);

        MessageView view = h.schedule.schedule(ALICE, localRequest("2030-03-05T09:00", "America/Chicago", null, list.id()),
                null, null).view();

        assertThat(view.tasks()).extracting(Task::fireAt, Task::timeZones).containsExactly(
                tuple(Instant.parse("2030-03-05T00:00:00Z"), List.of("Asia/Tokyo")),
                tuple(Instant.parse("2030-03-05T15:00:00Z"), List.of("America/Chicago")));
        assertThat(view.message().counts().total()).isEqualTo(26);
        assertThat(view.taskCounts().values()).extracting(Counts::total).containsExactly(25, 1);

        h.clock.set(Instant.parse("2030-03-05T00:00:00Z"));
        h.fire(view.tasks().get(0).id());
        assertThat(h.transport.delivered).extracting(OutgoingMail::recipientKey).hasSize(25);
        assertThat(deliveredTo()).allMatch(address -> address.startsWith("tokyo"));
    }
}
