package dev.herald.core.dispatch;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.SendWindows;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.MessageQuery;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.SendWindowsInput;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;

import static dev.herald.core.testing.Harness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Send windows and daily caps: a send stops when its window closes, or before a chunk would pass the day's cap, and
 * carries on when the next window opens or the next day begins, on a clock that jumps.
 */
class SendWindowsTest {

    private static final SendWindowsInput OFFICE_HOURS = new SendWindowsInput("Europe/Vienna", List.of(
            new SendWindowsInput.WindowInput(List.of("MON", "TUE", "WED", "THU", "FRI"), "09:00", "17:00")));

    private final Harness h = new Harness();

    private String schedule(int recipients, Instant sendAt, String sendBy, SendWindowsInput windows) {
        return schedule(recipients, sendAt, sendBy, windows, null);
    }

    private String schedule(int recipients, Instant sendAt, String sendBy, SendWindowsInput windows, Integer dailyCap) {
        ScheduleRequest base = Harness.request(recipients, sendAt.toString());
        return h.schedule.schedule(ALICE, new ScheduleRequest(base.messageSystem(), base.subject(), base.text(),
                base.html(), base.recipients(), base.sendAt(), base.timeZone(), sendBy, null, null, windows, dailyCap),
                null, null).view().tasks().get(0).id();
    }

    /** Schedules a message shortly before {@code sendAt}, then sets the clock to it: the task is due. */
    private String scheduledAndDue(int recipients, Instant sendAt, String sendBy, SendWindowsInput windows, Integer dailyCap) {
        h.clock.set(sendAt.minus(Duration.ofMinutes(5)));
        String taskId = schedule(recipients, sendAt, sendBy, windows, dailyCap);
        h.clock.set(sendAt);
        return taskId;
    }

    private String scheduledAndDue(int recipients, Instant sendAt, String sendBy, SendWindowsInput windows) {
        return scheduledAndDue(recipients, sendAt, sendBy, windows, null);
    }

    private Task task(String id) {
        return h.store.findTask(id).orElseThrow();
    }

    private Message message(String taskId) {
        return h.store.findMessage(task(taskId).messageId()).orElseThrow();
    }

    @Test
    void windows_areReadOnTheZonesWallClock_andTheNextOpeningSkipsTheWeekendAcrossAChangeOfTheClocks() {
        SendWindows office = new SendWindows("Europe/Vienna", List.of(new SendWindows.Window(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(17, 0))));

        assertThat(office.isOpen(Instant.parse("2030-03-29T15:59:59Z"))).isTrue();  // Friday 16:59:59 CET
        assertThat(office.isOpen(Instant.parse("2030-03-29T16:00:00Z"))).isFalse(); // Friday 17:00 CET
        // The clocks go forward on Sunday 31 March: Monday 09:00 is 07:00 UTC, no longer 08:00.
        assertThat(office.nextOpening(Instant.parse("2030-03-29T16:00:00Z"))).isEqualTo(Instant.parse("2030-04-01T07:00:00Z"));
        assertThat(office.nextOpening(Instant.parse("2030-04-01T07:30:00Z"))).as("open: now").isEqualTo(Instant.parse("2030-04-01T07:30:00Z"));
        assertThat(office.nextOpening(Instant.parse("2030-04-01T06:00:00Z"))).isEqualTo(Instant.parse("2030-04-01T07:00:00Z"));
    }

    @Test
    void aSendReachingTheEndOfItsWindow_stopsAndWaits_thenCarriesOnAtTheNextOpening_sendingNobodyTwice() {
        // Tuesday 16:50 in Vienna (15:50 UTC); each call of ten mails takes three minutes.
        String taskId = scheduledAndDue(50, Instant.parse("2030-01-15T15:50:00Z"), null, OFFICE_HOURS);
        h.transport.beforeEachBatch(() -> h.clock.advance(Duration.ofMinutes(3)));

        DispatchResult first = h.fire(taskId);

        assertThat(first.outcome()).isEqualTo(DispatchResult.Outcome.WAITING);
        int sentBefore = first.runCounts().sent();
        assertThat(sentBefore).isBetween(10, 40);
        Instant wednesdayAtNine = Instant.parse("2030-01-16T08:00:00Z");
        assertThat(task(taskId).state()).isEqualTo(TaskState.ARMED);
        assertThat(task(taskId).fireAt()).isEqualTo(wednesdayAtNine);
        assertThat(h.scheduler.rearmed).extracting(Task::fireAt).containsExactly(wednesdayAtNine);
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENDING);
        assertThat(h.store.listRuns(task(taskId).messageId())).extracting(Run::status).containsExactly(RunStatus.WAITING);

        h.clock.set(wednesdayAtNine);
        DispatchResult second = h.fire(taskId);

        assertThat(second.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(second.runCounts().sent()).isEqualTo(50 - sentBefore);
        assertThat(h.transport.delivered).extracting(OutgoingMail::recipientKey).hasSize(50).doesNotHaveDuplicates();
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aMessageFiredOutsideItsWindows_sendsNothing_andWaitsForTheNextOpening() {
        // Saturday morning: the next opening is Monday 09:00.
        String taskId = scheduledAndDue(5, Instant.parse("2030-01-19T08:00:00Z"), null, OFFICE_HOURS);

        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.WAITING);

        assertThat(h.transport.delivered).isEmpty();
        assertThat(task(taskId).fireAt()).isEqualTo(Instant.parse("2030-01-21T08:00:00Z"));
    }

    @Test
    void contentTooLateForItsSendBy_expiresRatherThanGoingOutTheNextMorning() {
        String taskId = scheduledAndDue(50, Instant.parse("2030-01-15T15:50:00Z"), "2030-01-15T20:00:00Z", OFFICE_HOURS);
        h.transport.beforeEachBatch(() -> h.clock.advance(Duration.ofMinutes(3)));

        DispatchResult result = h.fire(taskId);

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.EXPIRED);
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.EXPIRED);
        assertThat(message.counts().expired()).isEqualTo(50 - message.counts().sent());
        assertThat(task(taskId).state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aDailyCap_isNeverPassed_andTheSendCarriesOnEachNextDay_inTheMessagesZone_untilEveryoneIsSent() {
        // 25 recipients, 10 a day (chunks of 10): ten on each of two days, five on the third. Paris is UTC+1.
        String taskId = scheduledAndDue(25, Instant.parse("2030-01-15T10:00:00Z"), null, null, 10);

        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.WAITING);
        assertThat(h.transport.delivered).hasSize(10);
        Instant parisMidnight = Instant.parse("2030-01-15T23:00:00Z");
        assertThat(task(taskId).fireAt()).isEqualTo(parisMidnight);

        h.clock.set(parisMidnight);
        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.WAITING);
        assertThat(h.transport.delivered).hasSize(20);
        h.clock.set(Instant.parse("2030-01-16T23:00:00Z"));
        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);

        assertThat(h.transport.delivered).extracting(OutgoingMail::recipientKey).hasSize(25).doesNotHaveDuplicates();
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void aCappedSendThatRunsIntoTheNextDay_handsOver_andTheNewDaysRunCountsFromNothing() {
        String taskId = scheduledAndDue(30, Instant.parse("2030-01-15T22:50:00Z"), null, null, 20);
        h.transport.beforeEachBatch(() -> h.clock.advance(Duration.ofMinutes(6))); // midnight in Paris after two calls

        DispatchResult first = h.fire(taskId);

        assertThat(first.outcome()).isEqualTo(DispatchResult.Outcome.CONTINUED);
        assertThat(h.scheduler.firedNow).isNotEmpty();
        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.transport.delivered).extracting(OutgoingMail::recipientKey).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void aCapAndAWindow_waitForTheFirstOpeningOfTheNextDay() {
        // A Friday, 10:30 in Vienna: the next day's first opening is Monday's.
        String taskId = scheduledAndDue(20, Instant.parse("2030-01-18T09:30:00Z"), null, OFFICE_HOURS, 10);

        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.WAITING);

        assertThat(h.transport.delivered).hasSize(10);
        assertThat(task(taskId).fireAt()).as("Monday 09:00 in Vienna").isEqualTo(Instant.parse("2030-01-21T08:00:00Z"));
    }

    @Test
    void aMessageSystemsWindows_holdForItsMessagesWithoutWindowsOfTheirOwn() {
        h.systems.create(Harness.ADMIN, new MessageSystemSpec("office", "Office hours", true,
                "outbox", "office@example.com", null, null, null, null, null,
                new MessageSystemSpec.SchedulingSpec(true, "default", null, OFFICE_HOURS, null), null));
        assertThatThrownBy(() -> h.systems.create(Harness.ADMIN, new MessageSystemSpec("bad",
                "Bad", true, "outbox", "bad@example.com", null, null, null, null, null,
                new MessageSystemSpec.SchedulingSpec(true, "default", null,
                        new SendWindowsInput("Europe/Vienna", List.of()), 99), null)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("scheduling.sendWindows.windows", "scheduling.dailyCap"));
        h.clock.set(Instant.parse("2030-01-19T07:00:00Z")); // Saturday
        ScheduleRequest base = Harness.request(3, "2030-01-19T08:00:00Z");
        String taskId = h.schedule.schedule(ALICE, new ScheduleRequest("office", base.subject(), base.text(), null,
                base.recipients(), base.sendAt(), null, null, null), null, null).view().tasks().get(0).id();
        h.clock.set(Instant.parse("2030-01-19T08:00:00Z"));

        assertThat(h.fire(taskId).outcome()).isEqualTo(DispatchResult.Outcome.WAITING);
        assertThat(task(taskId).fireAt()).isEqualTo(Instant.parse("2030-01-21T08:00:00Z"));
        assertThat(h.transport.delivered).isEmpty();
    }

    @Test
    void aMessageSystemsDailyCap_holdsAcrossItsMessages_eachWaitingForTheNextDayInUtc() {
        h.systems.create(Harness.ADMIN, new MessageSystemSpec("capped", "Capped", true, "outbox", "capped@example.com",
                null, null, null, null, null, new MessageSystemSpec.SchedulingSpec(true, "default", null, null, 100), null));
        h.clock.set(Instant.parse("2030-01-15T09:00:00Z"));
        ScheduleRequest base = Harness.request(60, "2030-01-15T10:00:00Z");
        ScheduleRequest request = new ScheduleRequest("capped", base.subject(), base.text(), null, base.recipients(),
                base.sendAt(), null, null, null);
        String first = h.schedule.schedule(ALICE, request, null, null).view().tasks().get(0).id();
        String second = h.schedule.schedule(ALICE, request, null, null).view().tasks().get(0).id();
        h.clock.set(Instant.parse("2030-01-15T10:00:00Z"));

        assertThat(h.fire(first).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.fire(second).outcome()).isEqualTo(DispatchResult.Outcome.WAITING);

        assertThat(h.transport.delivered).as("60 and then 40: 100 in all").hasSize(100);
        assertThat(task(second).fireAt()).isEqualTo(Instant.parse("2030-01-16T00:00:00Z"));
        h.clock.set(Instant.parse("2030-01-16T00:00:00Z"));
        assertThat(h.fire(second).outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        assertThat(h.transport.delivered).extracting(OutgoingMail::recipientKey).hasSize(120).doesNotHaveDuplicates();
    }

    @Test
    void windowsThatDoNotRead_orNeverOpenBeforeTheSendBy_areRefused_namingEachField() {
        SendWindowsInput bad = new SendWindowsInput("Mars/Olympus", List.of(
                new SendWindowsInput.WindowInput(List.of("MON", "Funday"), "9am", "17:00"),
                new SendWindowsInput.WindowInput(List.of(), "17:00", "09:00")));
        assertThatThrownBy(() -> schedule(1, Instant.parse("2030-01-15T12:00:00Z"), null, bad))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactlyInAnyOrder("sendWindows.timeZone", "sendWindows.windows[0].days",
                                "sendWindows.windows[0].from", "sendWindows.windows[1].days", "sendWindows.windows[1].to"));
        assertThatThrownBy(() -> schedule(1, Instant.parse("2030-01-15T12:00:00Z"), null,
                new SendWindowsInput("Europe/Vienna", List.of())))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("sendWindows.windows"));
        // Saturday noon, to be sent by Sunday evening: no weekday window opens in time.
        assertThatThrownBy(() -> schedule(1, Instant.parse("2030-01-19T12:00:00Z"), "2030-01-20T18:00:00Z", OFFICE_HOURS))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.field() + ": " + f.message()).startsWith("sendWindows: no window opens")));
        assertThatThrownBy(() -> schedule(1, Instant.parse("2030-01-15T12:00:00Z"), null, null, 5))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("dailyCap"));
        assertThat(h.store.listMessages(new MessageQuery(null, null, 10, null)).items()).isEmpty();
    }
}
