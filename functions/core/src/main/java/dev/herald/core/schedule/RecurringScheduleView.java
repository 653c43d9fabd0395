package dev.herald.core.schedule;

import dev.herald.core.model.RecurringSchedule;

import java.time.Instant;
import java.util.List;

/** A recurring schedule as a caller reads it, with its next occurrences (none while it is paused). */
public record RecurringScheduleView(RecurringSchedule schedule, List<Instant> nextOccurrences) {
}
