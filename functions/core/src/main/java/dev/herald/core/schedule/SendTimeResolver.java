package dev.herald.core.schedule;

import dev.herald.core.error.FieldError;

import java.time.Clock;
import java.time.DateTimeException;
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
 * with an offset, or a local date-time read in {@code timeZone} (IANA). In a DST gap the local
 * time is shifted forward by the gap's length; in an overlap the earlier offset wins.
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
        ZoneId zone = null;
        if (timeZone != null) {
            try {
                zone = ZoneId.of(timeZone);
            } catch (DateTimeException e) {
                errors.add(new FieldError("timeZone",
                        "unknown time zone '" + timeZone + "': use an IANA name such as Europe/Paris"));
                return Optional.empty();
            }
        }
        if (sendAt == null || sendAt.isBlank() || sendAt.equalsIgnoreCase("now")) {
            return Optional.of(new SendTime(now, timeZone, true));
        }
        Instant instant;
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(sendAt,
                    OffsetDateTime::from, LocalDateTime::from);
            if (parsed instanceof OffsetDateTime offsetDateTime) {
                instant = offsetDateTime.toInstant();
            } else if (zone == null) {
                errors.add(new FieldError("sendAt",
                        "a local date-time needs a timeZone, or give sendAt with an offset such as +01:00"));
                return Optional.empty();
            } else {
                instant = ZonedDateTime.ofLocal((LocalDateTime) parsed, zone, null).toInstant();
            }
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("sendAt",
                    "not an ISO-8601 date-time: '" + sendAt + "' (e.g. 2030-03-05T09:00:00+01:00)"));
            return Optional.empty();
        }
        if (instant.isBefore(now.minus(pastTolerance))) {
            errors.add(new FieldError("sendAt", "must not be in the past (it is " + now + " now)"));
            return Optional.empty();
        }
        Instant latest = now.atZone(ZoneOffset.UTC).plus(horizon).toInstant();
        if (instant.isAfter(latest)) {
            errors.add(new FieldError("sendAt", "is beyond the scheduling horizon of " + horizon
                    + " (latest " + latest + ")"));
            return Optional.empty();
        }
        boolean immediate = !instant.isAfter(now);
        return Optional.of(new SendTime(immediate ? now : instant, timeZone, immediate));
    }
}
