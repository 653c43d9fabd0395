package dev.herald.send;

import dev.herald.core.model.ScheduleOccurrence;
import dev.herald.core.schedule.RecurringScheduleService;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** A recurring schedule's firing, as the send function receives it: the schedule's id and the occurrence's time. */
public final class Occurrences {

    private final RecurringScheduleService schedules;

    Occurrences(RecurringScheduleService schedules) {
        this.schedules = schedules;
    }

    /** The occurrence's record: its message, or why it sent none; empty when the schedule is paused or gone. */
    Optional<ScheduleOccurrence> fire(String scheduleId, String scheduledTime) {
        Instant at;
        try {
            at = Instant.parse(scheduledTime);
        } catch (DateTimeParseException | NullPointerException e) {
            throw new IllegalArgumentException("A recurring schedule's firing needs its scheduledTime, an ISO-8601 instant");
        }
        return schedules.occur(scheduleId, at);
    }
}
