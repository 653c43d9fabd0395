package dev.herald.core.schedule;

import dev.herald.core.error.FieldError;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Recurring rules read as EventBridge Scheduler reads them, in a zone, across changes of its clocks. */
class RecurrenceTest {

    private static final Instant NOW = Instant.parse("2030-03-01T12:00:00Z");
    private final List<FieldError> errors = new ArrayList<>();

    private Recurrence rule(String expression, String zone, String start, String end) {
        return Recurrence.parse("rule.", expression, zone, start, end, Recurrence.Limits.defaults(), NOW, errors)
                .orElseThrow(() -> new AssertionError(errors.toString()));
    }

    private List<String> refused(String expression, String zone, String start, String end) {
        assertThat(Recurrence.parse("rule.", expression, zone, start, end, Recurrence.Limits.defaults(), NOW, errors)).isEmpty();
        return errors.stream().map(e -> e.field() + ": " + e.message()).toList();
    }

    @Test
    void aWeekdayCron_firesAtItsLocalTime_beforeAndAfterTheClocksChange() {
        Recurrence weekdays = rule("cron(0 9 ? * MON-FRI *)", "Europe/Vienna", null, null);

        // Vienna moves from +01:00 to +02:00 on Sunday 31 March 2030.
        assertThat(weekdays.next(5, Instant.parse("2030-03-27T12:00:00Z"))).containsExactly(
                Instant.parse("2030-03-28T08:00:00Z"), Instant.parse("2030-03-29T08:00:00Z"),
                Instant.parse("2030-04-01T07:00:00Z"), Instant.parse("2030-04-02T07:00:00Z"),
                Instant.parse("2030-04-03T07:00:00Z"));
    }

    @Test
    void aTimeTheClocksSkip_doesNotOccurThatDay_andOneTheyPassTwice_occursOnce() {
        Recurrence halfPastTwo = rule("cron(30 2 * * ? *)", "Europe/Vienna", null, null);
        assertThat(halfPastTwo.next(3, Instant.parse("2030-03-29T12:00:00Z"))).containsExactly(
                Instant.parse("2030-03-30T01:30:00Z"), // 02:30 +01:00
                Instant.parse("2030-04-01T00:30:00Z"), // 31 March has no 02:30
                Instant.parse("2030-04-02T00:30:00Z"));

        Recurrence early = Recurrence.parse("rule.", "cron(30 2 * * ? *)", "Europe/Vienna", null, null,
                Recurrence.Limits.defaults(), Instant.parse("2030-10-20T00:00:00Z"), errors).orElseThrow();
        // Vienna moves back from +02:00 to +01:00 at 03:00 on 27 October 2030: 02:30 comes twice, and fires once.
        assertThat(early.next(3, Instant.parse("2030-10-26T12:00:00Z"))).containsExactly(
                Instant.parse("2030-10-27T00:30:00Z"), Instant.parse("2030-10-28T01:30:00Z"),
                Instant.parse("2030-10-29T01:30:00Z"));
    }

    @Test
    void aRate_countsFixedDurationsFromItsStart_aDayBeing24HoursAcrossTheChange() {
        Recurrence daily = rule("rate(1 day)", "Europe/Vienna", "2030-03-30T09:00", null);

        assertThat(daily.next(3, NOW)).containsExactly(Instant.parse("2030-03-30T08:00:00Z"),
                Instant.parse("2030-03-31T08:00:00Z"), Instant.parse("2030-04-01T08:00:00Z"));
        assertThat(rule("rate(2 hours)", "UTC", null, null).next(2, NOW))
                .containsExactly(NOW.plus(Duration.ofHours(2)), NOW.plus(Duration.ofHours(4)));
    }

    @Test
    void startAndEnd_boundTheOccurrences() {
        Recurrence monthly = rule("cron(0 8 1 * ? *)", "UTC", "2030-05-01T00:00:00Z", "2030-07-01T08:00:00Z");

        assertThat(monthly.next(5, NOW)).containsExactly(Instant.parse("2030-05-01T08:00:00Z"),
                Instant.parse("2030-06-01T08:00:00Z"), Instant.parse("2030-07-01T08:00:00Z"));
    }

    @Test
    void badRules_areRefused_namingTheField() {
        assertThat(refused("every day", "UTC", null, null)).singleElement().asString().startsWith("rule.expression: must be cron(");
        errors.clear();
        assertThat(refused("cron(0 9 * * *)", "UTC", null, null)).singleElement().asString().contains("six fields");
        errors.clear();
        assertThat(refused("cron(0 25 * * ? *)", "UTC", null, null)).singleElement().asString()
                .startsWith("rule.expression: is not a valid cron expression");
        errors.clear();
        assertThat(refused("cron(0 9 * * MON *)", "UTC", null, null)).as("day-of-month or day-of-week must be ?")
                .singleElement().asString().startsWith("rule.expression: is not a valid cron expression");
        errors.clear();
        assertThat(refused("rate(1 hours)", "UTC", null, null)).singleElement().asString().contains("singular for 1 only");
        errors.clear();
        assertThat(refused("rate(0 minutes)", "UTC", null, null)).singleElement().asString().contains("positive");
        errors.clear();
        assertThat(refused("cron(0 9 * * ? *)", "Mars/Olympus", "tomorrow", null))
                .containsExactly("rule.timeZone: 'Mars/Olympus' is not an IANA time zone: use a name such as Europe/Paris or UTC",
                        "rule.start: not an ISO-8601 date-time: 'tomorrow' (e.g. 2030-03-05T09:00:00+01:00)");
        errors.clear();
        assertThat(refused("cron(0 9 * * ? *)", "UTC", "2030-06-01T00:00:00Z", "2030-05-01T00:00:00Z"))
                .singleElement().asString().startsWith("rule.end: must be after start");
    }

    @Test
    void aRuleThatNeverFires_orFiresTooOften_isRefused() {
        assertThat(refused("cron(0 9 30 2 ? *)", "UTC", null, null)).as("30 February")
                .singleElement().asString().startsWith("rule.expression: never fires");
        errors.clear();
        assertThat(refused("cron(0 9 * * ? 2029)", "UTC", null, null)).singleElement().asString().contains("never fires");
        errors.clear();
        assertThat(refused("cron(0 9 * * ? *)", "UTC", null, "2030-03-01T08:00:00Z")).singleElement().asString()
                .contains("never fires before its end");
        errors.clear();
        assertThat(refused("cron(0 9 * * ? 2040)", "UTC", null, null)).as("beyond the horizon")
                .singleElement().asString().contains("never fires");
        errors.clear();
        assertThat(refused("cron(0/30 * * * ? *)", "UTC", null, null)).singleElement().asString()
                .contains("more often than the minimum of PT1H");
        errors.clear();
        assertThat(refused("cron(0,15 9 1 1 ? *)", "UTC", null, null)).as("twice one morning a year")
                .singleElement().asString().contains("more often");
        errors.clear();
        assertThat(refused("rate(30 minutes)", "UTC", null, null)).singleElement().asString().contains("more often");
        errors.clear();
        assertThat(Recurrence.parse("rule.", "rate(30 minutes)", "UTC", null, null,
                new Recurrence.Limits(Duration.ofMinutes(15), Period.ofYears(1)), NOW, errors)).as("a lower minimum").isPresent();
    }
}
