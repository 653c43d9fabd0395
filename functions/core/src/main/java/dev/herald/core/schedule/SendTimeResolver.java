package dev.herald.core.schedule;

import dev.herald.core.error.FieldError;
import dev.herald.core.rules.TimeZoneRules;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Optional;

/**
 * Computes the one send instant of a request, once, here in the core. {@code sendAt} is ISO-8601
 * with an offset, or a local date-time read in {@code timeZone}; absent or {@code "now"} means now,
 * and an empty one is refused rather than taken for now. {@code timeZone} is a name of the IANA time
 * zone database ({@code Europe/Paris}, {@code UTC}), never an offset ({@code +01:00}, {@code GMT+5},
 * {@code Z}: an offset belongs in {@code sendAt}). In a DST gap the local time is shifted forward by
 * the gap's length; in an overlap the earlier offset wins. {@code sendBy}, the limit after which
 * nothing more is sent, takes the same forms.
 */
public final class SendTimeResolver {


    private final Clock clock;
    private final Duration pastTolerance;
    private final Period horizon;

    public SendTimeResolver(Clock clock, Duration pastTolerance, Period horizon) {
        this.clock = clock;
        this.pastTolerance = pastTolerance;
        this.horizon = horizon;
    }

    /** Resolves the send time, or adds the fields at fault to {@code errors} and answers empty. */
    public Optional<SendTime> resolve(String sendAt, String timeZone, List<FieldError> errors) {
        Instant now = clock.instant();
        Optional<ZoneId> zone = zone(timeZone, errors);
        if (timeZone != null && zone.isEmpty()) {
            return Optional.empty();
        }
        if (sendAt == null || sendAt.equalsIgnoreCase("now")) {
            return Optional.of(new SendTime(now, timeZone, true));
        }
        if (sendAt.isBlank()) {
            errors.add(new FieldError("sendAt", "must not be empty: leave it out, or give \"now\", to send at once"));
            return Optional.empty();
        }
        Optional<Instant> instant = instant("sendAt", sendAt, zone, errors);
        if (instant.isEmpty()) {
            return Optional.empty();
        }
        if (instant.get().isBefore(now.minus(pastTolerance))) {
            errors.add(new FieldError("sendAt", "must not be in the past (it is " + now + " now)"));
            return Optional.empty();
        }
        if (beyondHorizon("sendAt", instant.get(), now, errors)) {
            return Optional.empty();
        }
        boolean immediate = !instant.get().isAfter(now);
        return Optional.of(new SendTime(immediate ? now : instant.get(), timeZone, immediate));
    }

    /**
     * The local date-time of a local-time message: {@code sendAt} without an offset (each recipient's zone gives it
     * one), and {@code timeZone}, the zone of recipients without one of their own; or the fields at fault added to
     * {@code errors}.
     */
    public Optional<LocalDateTime> resolveLocal(String sendAt, String timeZone, List<FieldError> errors) {
        if (timeZone == null) {
            errors.add(new FieldError("timeZone", "is required with localTime: the zone of recipients without a timeZone"
                    + " of their own"));
        } else {
            zone(timeZone, errors);
        }
        if (sendAt == null || sendAt.isBlank() || sendAt.equalsIgnoreCase("now")) {
            errors.add(new FieldError("sendAt", "a local date-time is required with localTime (e.g. 2030-03-05T09:00)"));
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(sendAt));
        } catch (DateTimeParseException notLocal) {
            errors.add(new FieldError("sendAt", hasOffset(sendAt)
                    ? "must be a local date-time without an offset with localTime: each recipient's zone gives the offset"
                    : "not an ISO-8601 local date-time: '" + sendAt + "' (e.g. 2030-03-05T09:00)"));
            return Optional.empty();
        }
    }

    private static boolean hasOffset(String value) {
        try {
            OffsetDateTime.parse(value);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * The recipients of a local-time message by instant ({@link LocalTimeGroups}): where the local time has passed,
     * they get it now. A time passed in every recipient's zone, or one beyond the horizon in any, is at fault.
     */
    List<LocalTimeGroups.Group> localGroups(LocalDateTime at, ZoneId fallback, List<RecipientInput> recipients,
                                            List<FieldError> errors) {
        Instant now = clock.instant();
        List<LocalTimeGroups.Group> groups = LocalTimeGroups.of(at, fallback, recipients);
        return checkLatestLocal(groups.get(groups.size() - 1).instant(), errors)
                ? LocalTimeGroups.notBefore(now, groups) : List.of();
    }

    /**
     * Whether the latest instant of a local-time message may be scheduled: not passed (in every zone), not beyond the
     * horizon; otherwise the fault is added to {@code errors}.
     */
    boolean checkLatestLocal(Instant latest, List<FieldError> errors) {
        Instant now = clock.instant();
        if (latest.isBefore(now.minus(pastTolerance))) {
            errors.add(new FieldError("sendAt", "has passed in every recipient's zone (the last of them at " + latest + ")"));
            return false;
        }
        return !beyondHorizon("sendAt", latest, now, errors);
    }

    /** A send time at {@code instant}: immediate when it is due. */
    SendTime sendTimeOf(Instant instant, String timeZone) {
        return new SendTime(instant, timeZone, !instant.isAfter(clock.instant()));
    }

    /**
     * Resolves {@code sendBy}, the instant after which nothing more of the message is sent: the same
     * forms as {@code sendAt} in the same zone, later than the send time. Absent: no such limit. A
     * field at fault is added to {@code errors}; {@code sendTime} is null when sendAt was at fault.
     */
    public Optional<Instant> resolveSendBy(String sendBy, String timeZone, SendTime sendTime, List<FieldError> errors) {
        if (sendBy == null) {
            return Optional.empty();
        }
        if (sendBy.isBlank() || sendBy.equalsIgnoreCase("now")) {
            errors.add(new FieldError("sendBy", "must be a date-time after sendAt (leave it out for no limit)"));
            return Optional.empty();
        }
        // A timeZone at fault is reported by resolve(); here it only reads a local date-time.
        Optional<ZoneId> zone = TimeZoneRules.zone(timeZone);
        Optional<Instant> instant = instant("sendBy", sendBy, zone, errors);
        if (instant.isEmpty() || sendTime == null) {
            return Optional.empty();
        }
        if (!instant.get().isAfter(sendTime.instant())) {
            errors.add(new FieldError("sendBy", "must be after the send time (" + sendTime.instant() + ")"));
            return Optional.empty();
        }
        return beyondHorizon("sendBy", instant.get(), clock.instant(), errors) ? Optional.empty() : instant;
    }

    private static Optional<ZoneId> zone(String timeZone, List<FieldError> errors) {
        if (timeZone == null) {
            return Optional.empty();
        }
        Optional<ZoneId> zone = TimeZoneRules.zone(timeZone);
        if (zone.isEmpty()) {
            errors.add(new FieldError("timeZone", TimeZoneRules.problemWithZone(timeZone).orElseThrow()
                    + " (an offset such as +01:00 belongs in sendAt)"));
        }
        return zone;
    }

    /** An ISO-8601 date-time with an offset, or a local one read in {@code zone}. */
    static Optional<Instant> instant(String field, String value, Optional<ZoneId> zone, List<FieldError> errors) {
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(value,
                    OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offsetDateTime) {
                return Optional.of(offsetDateTime.toInstant());
            }
            if (zone.isEmpty()) {
                errors.add(new FieldError(field,
                        "a local date-time needs a timeZone, or give " + field + " with an offset such as +01:00"));
                return Optional.empty();
            }
            return Optional.of(ZonedDateTime.ofLocal((LocalDateTime) parsed, zone.get(), null).toInstant());
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field,
                    "not an ISO-8601 date-time: '" + value + "' (e.g. 2030-03-05T09:00:00+01:00)"));
            return Optional.empty();
        }
    }

    private boolean beyondHorizon(String field, Instant instant, Instant now, List<FieldError> errors) {
        Instant latest = now.atZone(ZoneOffset.UTC).plus(horizon).toInstant();
        if (instant.isAfter(latest)) {
            errors.add(new FieldError(field, "is beyond the scheduling horizon of " + horizon + " (latest " + latest + ")"));
            return true;
        }
        return false;
    }
}
