package dev.herald.core.schedule;

import dev.herald.core.error.FieldError;

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
import java.util.Set;

/**
 * Computes the one send instant of a request, once, here in the core. {@code sendAt} is ISO-8601
 * with an offset, or a local date-time read in {@code timeZone}; absent or {@code "now"} means now,
 * and an empty one is refused rather than taken for now. {@code timeZone} is a name of the IANA time
 * zone database ({@code Europe/Paris}, {@code UTC}), never an offset ({@code +01:00}, {@code GMT+5},
 * {@code Z}: an offset belongs in {@code sendAt}). In a DST gap the local time is shifted forward by
 * the gap's length; in an overlap the earlier offset wins.
 */
public final class SendTimeResolver {

    /** The IANA names the JDK's time zone database knows. */
    private static final Set<String> IANA_ZONES = Set.copyOf(ZoneId.getAvailableZoneIds());

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
            if (!IANA_ZONES.contains(timeZone)) {
                errors.add(new FieldError("timeZone", "'" + timeZone + "' is not an IANA time zone: use a name such as "
                        + "Europe/Paris or UTC (an offset such as +01:00 belongs in sendAt)"));
                return Optional.empty();
            }
            zone = ZoneId.of(timeZone);
        }
        if (sendAt == null || sendAt.equalsIgnoreCase("now")) {
            return Optional.of(new SendTime(now, timeZone, true));
        }
        if (sendAt.isBlank()) {
            errors.add(new FieldError("sendAt", "must not be empty: leave it out, or give \"now\", to send at once"));
            return Optional.empty();
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
