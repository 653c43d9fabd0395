package dev.herald.core.schedule;

import java.util.List;

/**
 * What a caller asks to send. {@code sendAt} null means now; {@code sendBy} null means no limit;
 * {@code delivery} null means at least once. Shape (types, required fields) is checked before this is built; meaning is checked here.
 */
public record ScheduleRequest(String messageSystem, String subject, String text, String html,
                              List<RecipientInput> recipients, String sendAt, String timeZone, String sendBy,
                              String delivery) {
}
