package dev.herald.core.model;

import java.time.Instant;

/**
 * One occurrence of a recurring schedule, as it was recorded: the message it created, or, when the
 * schedule could no longer make one (its list gone, its message system disabled), the {@code problem}.
 * An occurrence is recorded once: a repeated firing of it finds this and creates nothing.
 */
public record ScheduleOccurrence(String scheduleId, Instant at, String messageId, String problem, Instant recordedAt) {
}
