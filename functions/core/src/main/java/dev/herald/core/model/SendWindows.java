package dev.herald.core.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When a message may be sent: within one of its windows (days of the week, from a time until a time), read on
 * the wall clock of {@code timeZone}. A window's times are wall-clock times, so they stay the same across a change
 * of the clocks; an opening the clocks skip moves forward by the gap, as a send time does.
 */
public record SendWindows(String timeZone, List<Window> windows) {

    /** One weekly window: on each of {@code days}, from {@code from} (included) until {@code to} (excluded). */
    public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {

        boolean contains(DayOfWeek day, LocalTime time) {
            return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
        }
    }

    /** Days ahead the next opening is looked for: every window recurs within a week. */
    private static final int WEEK = 8;

    public boolean isOpen(Instant instant) {
        ZonedDateTime local = instant.atZone(ZoneId.of(timeZone));
        return windows.stream().anyMatch(w -> w.contains(local.getDayOfWeek(), local.toLocalTime()));
    }

    /** {@code at} itself when a window is open then; otherwise the next instant one opens. */
    public Instant nextOpening(Instant at) {
        if (isOpen(at)) {
            return at;
        }
        ZoneId zone = ZoneId.of(timeZone);
        LocalDate day = at.atZone(zone).toLocalDate();
        Optional<Instant> next = Optional.empty();
        for (int ahead = 0; ahead < WEEK && next.isEmpty(); ahead++) {
            LocalDate date = day.plusDays(ahead);
            next = windows.stream().filter(w -> w.days().contains(date.getDayOfWeek()))
                    .map(w -> ZonedDateTime.of(date, w.from(), zone).toInstant())
                    .filter(opening -> opening.isAfter(at))
                    .min(Instant::compareTo);
        }
        return next.orElseThrow(() -> new IllegalStateException("send windows that never open: " + this));
    }
}
