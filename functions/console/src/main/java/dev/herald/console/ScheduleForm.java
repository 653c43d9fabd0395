package dev.herald.console;

import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.schedule.RecurringScheduleRequest;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A recurring schedule's form, as typed: its inputs are named by the API's fields, so that the API's
 * problems land at them. {@code start} and {@code end} are local date-times in the schedule's zone, as
 * the API takes them.
 */
record ScheduleForm(Map<String, String> typed) {

    static final List<String> FIELDS = List.of("name", "messageSystem", "subject", "text", "html", "list", "expression",
            "timeZone", "start", "end");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    static ScheduleForm of(Map<String, String> form) {
        Map<String, String> typed = new HashMap<>();
        FIELDS.forEach(field -> typed.put(field, form.getOrDefault(field, "")));
        return new ScheduleForm(typed);
    }

    /** A new schedule's form: every Monday at nine, in the viewer's zone. */
    static ScheduleForm blank(ZoneId viewer) {
        Map<String, String> typed = new HashMap<>();
        FIELDS.forEach(field -> typed.put(field, ""));
        typed.putAll(Map.of("messageSystem", "outbox", "expression", "cron(0 9 ? * MON *)", "timeZone", viewer.getId()));
        return new ScheduleForm(typed);
    }

    static ScheduleForm of(RecurringSchedule schedule) {
        Map<String, String> typed = new HashMap<>();
        ZoneId zone = ZoneId.of(schedule.timeZone());
        typed.put("name", schedule.name());
        typed.put("messageSystem", schedule.messageSystemId());
        typed.put("subject", schedule.subject());
        typed.put("text", schedule.text() == null ? "" : schedule.text());
        typed.put("html", schedule.html() == null ? "" : schedule.html());
        typed.put("list", schedule.listId());
        typed.put("expression", schedule.expression());
        typed.put("timeZone", schedule.timeZone());
        typed.put("start", local(schedule.start(), zone));
        typed.put("end", local(schedule.end(), zone));
        return new ScheduleForm(typed);
    }

    RecurringScheduleRequest request() {
        return new RecurringScheduleRequest(value("name"), value("messageSystem"), typed.get("subject"),
                ConsoleForms.blankToNull(typed.get("text")), ConsoleForms.blankToNull(typed.get("html")), value("list"),
                value("expression"), value("timeZone"), value("start"), value("end"));
    }

    /** A field that names something (not the content): blank is absent, spaces around it are not part of it. */
    private String value(String field) {
        return ConsoleForms.blankToNull(typed.get(field).trim());
    }

    private static String local(Instant instant, ZoneId zone) {
        return instant == null ? "" : LOCAL.format(instant.atZone(zone));
    }
}
