package dev.herald.core.schedule;

import dev.herald.core.model.ScheduleOccurrence;

import java.util.Optional;

/** An occurrence in a schedule's history, with the message it created as that message is now (if it still exists). */
public record OccurrenceView(ScheduleOccurrence occurrence, Optional<MessageView> message) {
}
