package dev.herald.core.dispatch;

import dev.herald.core.model.Message;
import dev.herald.core.model.Run;
import dev.herald.core.model.SendWindows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * A message's daily cap as one run counts it: the mails its earlier runs of the day handed to the provider (by the
 * day each run started, in the cap's zone), and the recipients of the chunks this run opened. A chunk is opened
 * only if all its recipients fit under the cap, so the cap is never passed (a day may end up to a chunk short).
 */
final class DailyCap {

    private final int limit;
    private final ZoneId zone;
    private final LocalDate day;
    private int counted;

    private DailyCap(int limit, ZoneId zone, LocalDate day, int counted) {
        this.limit = limit;
        this.zone = zone;
        this.day = day;
        this.counted = counted;
    }

    /**
     * The cap of the message, if it has one, for the day of {@code now} in the zone of the windows it is sent in (or
     * its own zone, or UTC), counting the message's other runs of that day.
     */
    static Optional<DailyCap> of(Message message, Optional<SendWindows> windows, List<Run> runs, String thisRun,
                                 Instant now) {
        if (message.dailyCap() == null) {
            return Optional.empty();
        }
        ZoneId zone = windows.map(w -> ZoneId.of(w.timeZone()))
                .orElse(message.timeZone() != null ? ZoneId.of(message.timeZone()) : ZoneOffset.UTC);
        LocalDate day = now.atZone(zone).toLocalDate();
        int counted = runs.stream().filter(r -> !r.id().equals(thisRun))
                .filter(r -> r.startedAt().atZone(zone).toLocalDate().equals(day))
                .mapToInt(r -> r.sent() + r.failed() + r.unknown()).sum();
        return Optional.of(new DailyCap(message.dailyCap(), zone, day, counted));
    }

    boolean reached() {
        return counted >= limit;
    }

    /** Counts a chunk of {@code recipients} in, when they fit under the cap; false (nothing counted) when not. */
    boolean open(int recipients) {
        if (counted + recipients > limit) {
            return false;
        }
        counted += recipients;
        return true;
    }

    /** Whether the day this run counts for has ended. */
    boolean dayEnded(Instant now) {
        return !now.atZone(zone).toLocalDate().equals(day);
    }

    /** When the next day begins in the cap's zone (its first instant, should midnight be skipped by the clocks). */
    Instant nextDay() {
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
