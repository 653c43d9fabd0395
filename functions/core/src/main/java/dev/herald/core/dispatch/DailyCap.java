package dev.herald.core.dispatch;

import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.SendWindows;
import dev.herald.core.port.Store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The daily caps one run sends under: its message's, counting the mails its earlier runs of the day handed to the
 * provider (by the day each run started) and the recipients of the chunks this run opened; and its message system's,
 * counted in the store across all of the system's messages as each chunk opens. A chunk is opened only if all its
 * recipients fit under both, so neither cap is passed (a day may end up to a chunk short of one).
 */
final class DailyCap {

    /** One cap and the day it counts for, in its zone. */
    private record Day(int limit, ZoneId zone, LocalDate date) {

        static Day of(int limit, ZoneId zone, Instant now) {
            return new Day(limit, zone, now.atZone(zone).toLocalDate());
        }

        boolean ended(Instant now) {
            return !now.atZone(zone).toLocalDate().equals(date);
        }

        Instant next() {
            return date.plusDays(1).atStartOfDay(zone).toInstant();
        }
    }

    private final Store store;
    private final String systemId;
    private final Optional<Day> message;
    private final Optional<Day> system;
    private int counted;
    /** The cap the last refused chunk did not fit under. */
    private Optional<Day> refusedBy = Optional.empty();

    private DailyCap(Store store, String systemId, Optional<Day> message, Optional<Day> system, int counted) {
        this.store = store;
        this.systemId = systemId;
        this.message = message;
        this.system = system;
        this.counted = counted;
    }

    /**
     * The caps of the message and its system, if either has one, for the day of {@code now}: the message's in the
     * zone of the windows it is sent in (or its own zone, or UTC), the system's in its windows' zone (or UTC).
     */
    static Optional<DailyCap> of(Store store, Message message, Optional<MessageSystem> system,
                                 Optional<SendWindows> windows, String thisRun, Instant now) {
        Optional<Day> messageDay = Optional.ofNullable(message.dailyCap()).map(limit -> Day.of(limit,
                windows.map(w -> ZoneId.of(w.timeZone())).orElse(message.timeZone() != null
                        ? ZoneId.of(message.timeZone()) : ZoneOffset.UTC), now));
        Optional<Day> systemDay = system.map(MessageSystem::scheduling).filter(s -> s.dailyCap() != null)
                .map(s -> Day.of(s.dailyCap(), s.sendWindows() != null ? ZoneId.of(s.sendWindows().timeZone())
                        : ZoneOffset.UTC, now));
        if (messageDay.isEmpty() && systemDay.isEmpty()) {
            return Optional.empty();
        }
        int counted = messageDay.map(day -> store.listRuns(message.id()).stream().filter(r -> !r.id().equals(thisRun))
                .filter(r -> r.startedAt().atZone(day.zone()).toLocalDate().equals(day.date()))
                .mapToInt(r -> r.sent() + r.failed() + r.unknown()).sum()).orElse(0);
        return Optional.of(new DailyCap(store, message.messageSystemId(), messageDay, systemDay, counted));
    }

    /** Whether the message's own cap is reached already (the system's is found out chunk by chunk). */
    boolean reached() {
        if (message.isPresent() && counted >= message.get().limit()) {
            refusedBy = message;
            return true;
        }
        return false;
    }

    /** Counts a chunk of {@code recipients} in, when they fit under both caps; false (nothing counted) when not. */
    boolean open(int recipients) {
        if (message.isPresent() && counted + recipients > message.get().limit()) {
            refusedBy = message;
            return false;
        }
        if (system.isPresent() && !store.countAgainstDailyCap(systemId, system.get().date(), recipients,
                system.get().limit())) {
            refusedBy = system;
            return false;
        }
        counted += recipients;
        return true;
    }

    /** Whether a day this run counts for has ended: a fresh run counts the new one. */
    boolean dayEnded(Instant now) {
        return message.map(d -> d.ended(now)).orElse(false) || system.map(d -> d.ended(now)).orElse(false);
    }

    /** When the next day of the cap that refused begins (its first instant, should midnight be skipped by the clocks). */
    Instant nextDay() {
        return refusedBy.orElseThrow().next();
    }
}
