package dev.herald.core.model;

import java.time.Instant;

/**
 * A recurring send: at each occurrence of its rule (an EventBridge Scheduler expression read in
 * {@code timeZone}, between an optional {@code start} and {@code end}), a message of its templates to its
 * list as the list is then. It belongs to its owner and to one message system; while {@code PAUSED} its
 * occurrences create nothing.
 */
public record RecurringSchedule(String id, String ownerId, String messageSystemId, String name, String subject,
                                String text, String html, String listId, String expression, String timeZone,
                                Instant start, Instant end, RecurringScheduleState state, Instant createdAt,
                                Instant updatedAt, long version) implements Versioned {

    public RecurringSchedule withState(RecurringScheduleState newState, Instant now) {
        return new RecurringSchedule(id, ownerId, messageSystemId, name, subject, text, html, listId, expression, timeZone,
                start, end, newState, createdAt, now, version);
    }

    /** This value as the store holds it after a successful update. */
    public RecurringSchedule withVersion(long newVersion) {
        return new RecurringSchedule(id, ownerId, messageSystemId, name, subject, text, html, listId, expression, timeZone,
                start, end, state, createdAt, updatedAt, newVersion);
    }
}
