package dev.herald.core.schedule;

import java.util.List;

/**
 * What a caller asks to send: to the {@code recipients} given, or to the members of the stored {@code list}
 * (one of the two). {@code sendAt} null means now; {@code sendBy} null means no limit; {@code delivery} null
 * means at least once; {@code sendWindows} null means at any time; {@code dailyCap} null means no cap. Shape (types, required fields) is checked before
 * this is built; meaning is checked here.
 */
public record ScheduleRequest(String messageSystem, String subject, String text, String html,
                              List<RecipientInput> recipients, String sendAt, String timeZone, String sendBy,
                              String delivery, String list, SendWindowsInput sendWindows, Integer dailyCap) {

    /** A request without send windows or a daily cap. */
    public ScheduleRequest(String messageSystem, String subject, String text, String html, List<RecipientInput> recipients,
                           String sendAt, String timeZone, String sendBy, String delivery, String list) {
        this(messageSystem, subject, text, html, recipients, sendAt, timeZone, sendBy, delivery, list, null, null);
    }

    /** A request to the recipients it lists. */
    public ScheduleRequest(String messageSystem, String subject, String text, String html, List<RecipientInput> recipients,
                           String sendAt, String timeZone, String sendBy, String delivery) {
        this(messageSystem, subject, text, html, recipients, sendAt, timeZone, sendBy, delivery, null, null, null);
    }
}
