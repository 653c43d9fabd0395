package dev.herald.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.herald.core.error.FieldError;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.rules.TimeZoneRules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a recurring schedule fires: an EventBridge Scheduler expression, {@code cron(minutes hours
 * day-of-month month day-of-week year)} or {@code rate(value unit)}, read in an IANA zone, between an
 * optional start and end. Its occurrences follow EventBridge Scheduler's rules, so that the local
 * runtime fires when AWS would: a cron time the clocks skip in spring does not occur that day, one they
 * pass twice in autumn occurs once (the first time); a rate counts fixed durations from its start (a day
 * is 24 hours, across a change of the clocks too).
 */
public final class Recurrence {

    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) (minute|minutes|hour|hours|day|days)\\)");
    /** How many occurrences the frequency check looks at: enough for a year of the most frequent rule allowed. */
    private static final int OCCURRENCES_CHECKED = 10_000;

    private final String expression;
    private final ZoneId zone;
    private final Instant start;
    private final Instant end;
    /** Set for a cron rule: its times, stepped on the zone's wall clock. */
    private final ExecutionTime cron;
    /** Set for a rate rule: the fixed time between occurrences. */
    private final Duration rate;

    private Recurrence(String expression, ZoneId zone, Instant start, Instant end, ExecutionTime cron, Duration rate) {
        this.expression = expression;
        this.zone = zone;
        this.start = start;
        this.end = end;
        this.cron = cron;
        this.rate = rate;
    }

    /** What a rule may be: how often at most, and how far ahead its first occurrence must come. */
    public record Limits(Duration minimumInterval, Period horizon) {
        public static Limits defaults() {
            return new Limits(Duration.ofHours(1), Period.ofYears(1));
        }
    }

    /**
     * The rule, if it reads and fires: each field at fault is added to {@code errors} under
     * {@code prefix} (for example {@code rule.expression}). A rule is refused when it does not read, when it
     * would never fire between {@code now} (or its start) and its end within the horizon, and when two of
     * its occurrences come closer than the minimum interval. A rate without a start starts at {@code now}.
     */
    public static Optional<Recurrence> parse(String prefix, String expression, String timeZone, String startText,
                                             String endText, Limits limits, Instant now, List<FieldError> errors) {
        int before = errors.size();
        Optional<ZoneId> zone = Optional.empty();
        if (timeZone == null) {
            errors.add(new FieldError(prefix + "timeZone", "is required: the IANA zone the rule is read in, such as Europe/Vienna"));
        } else {
            zone = TimeZoneRules.zone(timeZone);
            if (zone.isEmpty()) {
                errors.add(new FieldError(prefix + "timeZone", TimeZoneRules.problemWithZone(timeZone).orElseThrow()));
            }
        }
        Optional<Instant> start = startText == null ? Optional.empty()
                : SendTimeResolver.instant(prefix + "start", startText, zone, errors);
        Optional<Instant> end = endText == null ? Optional.empty()
                : SendTimeResolver.instant(prefix + "end", endText, zone, errors);
        if (start.isPresent() && end.isPresent() && !end.get().isAfter(start.get())) {
            errors.add(new FieldError(prefix + "end", "must be after start (" + start.get() + ")"));
        }
        Optional<Timing> timing = timing(prefix + "expression", expression, errors);
        if (errors.size() > before) {
            return Optional.empty();
        }
        Duration rate = timing.orElseThrow().rate();
        Recurrence rule = new Recurrence(expression, zone.orElseThrow(), start.orElse(rate != null ? now : null),
                end.orElse(null), timing.get().cron(), rate);
        return rule.firesAsAllowed(prefix + "expression", limits, now, errors) ? Optional.of(rule) : Optional.empty();
    }

    /** What an expression reads as: a cron's times, or a rate's fixed duration (one of the two). */
    private record Timing(ExecutionTime cron, Duration rate) {
    }

    private static Optional<Timing> timing(String field, String expression, List<FieldError> errors) {
        int before = errors.size();
        Matcher cronMatch = CRON.matcher(expression == null ? "" : expression);
        Matcher rateMatch = RATE.matcher(expression == null ? "" : expression);
        ExecutionTime cron = null;
        Duration rate = null;
        if (expression == null) {
            errors.add(new FieldError(field, "is required: cron(...) or rate(...)"));
        } else if (cronMatch.matches()) {
            cron = cron(field, cronMatch.group(1), errors);
        } else if (rateMatch.matches()) {
            rate = rate(field, Integer.parseInt(rateMatch.group(1)), rateMatch.group(2), errors);
        } else {
            errors.add(new FieldError(field, "must be cron(minutes hours day-of-month month day-of-week year)"
                    + " or rate(value minutes|hours|days), as EventBridge Scheduler reads them"));
        }
        return errors.size() > before ? Optional.empty() : Optional.of(new Timing(cron, rate));
    }

    /**
     * The rule of a stored schedule, which was checked when it was stored: its start is the one it was given,
     * or, for a rate, the instant its rule was last set.
     */
    public static Recurrence of(RecurringSchedule schedule) {
        List<FieldError> errors = new ArrayList<>();
        Timing timing = timing("expression", schedule.expression(), errors).orElseThrow(() ->
                new IllegalStateException("Stored schedule " + schedule.id() + " has an unreadable rule: " + errors));
        return new Recurrence(schedule.expression(), ZoneId.of(schedule.timeZone()), schedule.start(), schedule.end(),
                timing.cron(), timing.rate());
    }

    private static ExecutionTime cron(String field, String fields, List<FieldError> errors) {
        String[] parts = fields.trim().split("\\s+");
        if (parts.length != 6) {
            errors.add(new FieldError(field, "a cron expression has six fields (minutes hours day-of-month month"
                    + " day-of-week year), not " + parts.length));
            return null;
        }
        try {
            // Quartz's fields are EventBridge's with seconds in front.
            Cron parsed = QUARTZ.parse("0 " + String.join(" ", parts));
            parsed.validate();
            return ExecutionTime.forCron(parsed);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "is not a valid cron expression: " + e.getMessage()));
            return null;
        }
    }

    private static Duration rate(String field, int value, String unit, List<FieldError> errors) {
        boolean singular = !unit.endsWith("s");
        if (value == 0 || singular != (value == 1)) {
            errors.add(new FieldError(field, "a rate is a positive number with its unit, singular for 1 only:"
                    + " rate(1 hour), rate(2 hours)"));
            return null;
        }
        return switch (unit.replaceAll("s$", "")) {
            case "minute" -> Duration.ofMinutes(value);
            case "hour" -> Duration.ofHours(value);
            default -> Duration.ofDays(value);
        };
    }

    /** Whether the rule fires within the horizon, and never twice within the minimum interval. */
    private boolean firesAsAllowed(String field, Limits limits, Instant now, List<FieldError> errors) {
        Instant latest = now.atZone(ZoneOffset.UTC).plus(limits.horizon()).toInstant();
        Optional<Instant> first = nextAfter(now);
        if (first.isEmpty() || first.get().isAfter(latest)) {
            errors.add(new FieldError(field, "never fires" + (end != null ? " before its end" : "")
                    + " within the horizon of " + limits.horizon() + " (until " + latest + ")"));
            return false;
        }
        if (rate != null) {
            if (rate.compareTo(limits.minimumInterval()) < 0) {
                errors.add(new FieldError(field, "fires every " + rate + ", more often than the minimum of "
                        + limits.minimumInterval()));
                return false;
            }
            return true;
        }
        Instant previous = first.get();
        for (int i = 1; i < OCCURRENCES_CHECKED; i++) {
            Optional<Instant> next = nextAfter(previous);
            if (next.isEmpty() || next.get().isAfter(latest)) {
                break;
            }
            if (Duration.between(previous, next.get()).compareTo(limits.minimumInterval()) < 0) {
                errors.add(new FieldError(field, "fires at " + previous + " and again at " + next.get()
                        + ", more often than the minimum of " + limits.minimumInterval()));
                return false;
            }
            previous = next.get();
        }
        return true;
    }

    /** The first occurrence strictly after {@code after}, within the rule's start and end. */
    public Optional<Instant> nextAfter(Instant after) {
        Optional<Instant> next = rate != null ? nextByRate(after) : nextByCron(after);
        return next.filter(at -> end == null || !at.isAfter(end));
    }

    /** The next {@code count} occurrences after {@code after} (fewer when the rule ends before). */
    public List<Instant> next(int count, Instant after) {
        List<Instant> occurrences = new ArrayList<>();
        Instant from = after;
        while (occurrences.size() < count) {
            Optional<Instant> next = nextAfter(from);
            if (next.isEmpty()) {
                break;
            }
            occurrences.add(next.get());
            from = next.get();
        }
        return occurrences;
    }

    private Optional<Instant> nextByRate(Instant after) {
        if (after.isBefore(start)) {
            return Optional.of(start);
        }
        long elapsed = Duration.between(start, after).toNanos();
        long steps = elapsed / rate.toNanos() + 1;
        return Optional.of(start.plus(rate.multipliedBy(steps)));
    }

    /**
     * Steps the cron on the zone's wall clock (read as if it were UTC, which has no gaps or overlaps), then
     * places each wall time in the zone: one in a gap is skipped, one in an overlap takes its earlier offset,
     * and one the earlier offset puts before {@code after} has already occurred.
     */
    private Optional<Instant> nextByCron(Instant after) {
        Instant from = start != null && after.isBefore(start) ? start.minusNanos(1) : after;
        LocalDateTime wall = LocalDateTime.ofInstant(from, zone);
        for (int guard = 0; guard < OCCURRENCES_CHECKED; guard++) {
            Optional<ZonedDateTime> next = cron.nextExecution(wall.atZone(ZoneOffset.UTC));
            if (next.isEmpty()) {
                return Optional.empty();
            }
            wall = next.get().toLocalDateTime();
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(wall);
            if (offsets.isEmpty()) {
                continue;
            }
            Instant at = wall.toInstant(offsets.get(0));
            if (at.isAfter(from)) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    public Optional<Instant> start() {
        return Optional.ofNullable(start);
    }

    public Optional<Instant> end() {
        return Optional.ofNullable(end);
    }
}
