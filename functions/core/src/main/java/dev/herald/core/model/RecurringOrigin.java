package dev.herald.core.model;

import java.time.Instant;

/** Where a message made by a recurring schedule came from: the schedule, and the occurrence it was made for. */
public record RecurringOrigin(String scheduleId, Instant occurrence) {
}
