package dev.herald.core.schedule;

/**
 * What a caller asks to send again and again: the templates of a message to the members of {@code list}, at each
 * occurrence of the rule ({@code expression} read in {@code timeZone}, from {@code start} until {@code end}, both
 * optional). Shape is checked before this is built; meaning is checked by the service.
 */
public record RecurringScheduleRequest(String name, String messageSystem, String subject, String text, String html,
                                       String list, String expression, String timeZone, String start, String end) {

    /** The message each occurrence sends: to the list as it is then, at once. */
    ScheduleRequest occurrenceMessage() {
        return new ScheduleRequest(messageSystem, subject, text, html, null, null, null, null, null, list);
    }
}
