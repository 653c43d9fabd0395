package dev.herald.core.schedule;

import java.util.List;

/**
 * What a caller asks to send: to the {@code recipients} given, or to the members of the stored {@code list}
 * (one of the two). {@code sendAt} null means now; {@code sendBy} null means no limit; {@code delivery} null
 * means at least once; {@code sendWindows} null means at any time; {@code dailyCap} null means no cap; {@code localTime} true makes {@code sendAt}
 * a local date-time each recipient gets the message at in their own zone. Shape (types, required fields) is checked before
 * this is built; meaning is checked here.
 */
public record ScheduleRequest(String messageSystem, String subject, String text, String html,
                              List<RecipientInput> recipients, String sendAt, String timeZone, String sendBy,
                              String delivery, String list, SendWindowsInput sendWindows, Integer dailyCap,
                              Boolean localTime) {

    /** A request at one instant for all its recipients. */
    public ScheduleRequest(String messageSystem, String subject, String text, String html, List<RecipientInput> recipients,
                           String sendAt, String timeZone, String sendBy, String delivery, String list,
                           SendWindowsInput sendWindows, Integer dailyCap) {
        this(messageSystem, subject, text, html, recipients, sendAt, timeZone, sendBy, delivery, list, sendWindows, dailyCap,
                null);
    }

    public boolean isLocalTime() {
        return Boolean.TRUE.equals(localTime);
    }

    /** A request without send windows or a daily cap. */
    public ScheduleRequest(String messageSystem, String subject, String text, String html, List<RecipientInput> recipients,
                           String sendAt, String timeZone, String sendBy, String delivery, String list) {
        this(messageSystem, subject, text, html, recipients, sendAt, timeZone, sendBy, delivery, list, null, null, null);
    }

    /** A request to the recipients it lists. */
    public ScheduleRequest(String messageSystem, String subject, String text, String html, List<RecipientInput> recipients,
                           String sendAt, String timeZone, String sendBy, String delivery) {
        this(messageSystem, subject, text, html, recipients, sendAt, timeZone, sendBy, delivery, null, null, null, null);
    }
}
