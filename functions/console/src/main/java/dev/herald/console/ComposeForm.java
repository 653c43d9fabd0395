package dev.herald.console;

import dev.herald.core.error.FieldError;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compose dialog's fields as typed, and what they mean: the schedule request they make, the
 * instant they name (with what a DST change does to it), and the API's problems placed at the
 * fields the user typed them in.
 */
record ComposeForm(String messageSystem, String subject, String text, String html, String recipients, String list,
                   String date, String time, String zone) {

    private static final Pattern RECIPIENT_FIELD = Pattern.compile("recipients\\[(\\d+)\\](?:\\.(\\w+))?");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz (xxx)", Locale.ENGLISH);

    static ComposeForm of(Map<String, String> form) {
        Map<String, String> f = form == null ? Map.of() : form;
        return new ComposeForm(f.getOrDefault("messageSystem", ""), f.getOrDefault("subject", ""),
                f.getOrDefault("text", ""), f.getOrDefault("html", ""), f.getOrDefault("recipients", ""),
                f.getOrDefault("list", ""), f.getOrDefault("date", ""), f.getOrDefault("time", ""), f.getOrDefault("zone", ""));
    }

    /** The recipients pasted, one a line: an address, then optionally a comma and a name. */
    List<RecipientInput> pastedRecipients() {
        List<RecipientInput> parsed = new ArrayList<>();
        for (String line : recipients.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int comma = line.indexOf(',');
            String email = (comma < 0 ? line : line.substring(0, comma)).trim();
            String name = comma < 0 ? null : line.substring(comma + 1).trim();
            parsed.add(new RecipientInput(email, name == null || name.isEmpty() ? null : name, Map.of(), null));
        }
        return parsed;
    }

    /** The request this form makes: to its pasted recipients or its list, at its date and time in its zone. */
    ScheduleRequest request() {
        return new ScheduleRequest(messageSystem.trim(), subject, ConsoleForms.blankToNull(text), ConsoleForms.blankToNull(html),
                list.isBlank() ? pastedRecipients() : null, sendAt(), ConsoleForms.blankToNull(zone.trim()), null, null,
                ConsoleForms.blankToNull(list), null, null);
    }

    /** The same content, now, to one address: the test send before the real one. */
    ScheduleRequest testTo(String address) {
        return new ScheduleRequest(messageSystem.trim(), subject, ConsoleForms.blankToNull(text), ConsoleForms.blankToNull(html),
                List.of(new RecipientInput(address.trim(), null, Map.of(), null)), null, null, null, null, null, null, null);
    }

    private String sendAt() {
        return date.isBlank() ? null : date.trim() + "T" + (time.isBlank() ? "00:00" : time.trim());
    }

    /**
     * The instant the date and time name in the zone, in UTC and in the viewer's zone, and what a DST
     * change does to it (java.time's rule, the one the scheduler applies: a time in a gap moves forward
     * by the gap, a time that happens twice is the earlier one). Empty while the fields do not name one.
     */
    Map<String, Object> instant(ZoneId viewer) {
        try {
            LocalDateTime local = LocalDateTime.of(LocalDate.parse(date.trim()), LocalTime.parse(time.trim()));
            ZoneId in = ZoneId.of(zone.trim());
            ZonedDateTime resolved = ZonedDateTime.ofLocal(local, in, null);
            Instant instant = resolved.toInstant();
            Map<String, Object> shown = new HashMap<>();
            shown.put("utc", SHOWN.format(instant.atZone(ZoneId.of("UTC"))));
            shown.put("viewer", SHOWN.format(instant.atZone(viewer)));
            List<ZoneOffset> offsets = in.getRules().getValidOffsets(local);
            if (offsets.isEmpty()) {
                shown.put("dst", local.toLocalTime() + " does not exist in " + in + " that day (the clocks go forward): "
                        + "it is sent at " + resolved.toLocalTime() + ", local time.");
            } else if (offsets.size() > 1) {
                shown.put("dst", local.toLocalTime() + " happens twice in " + in + " that day (the clocks go back): "
                        + "it is sent the first time, at offset " + resolved.getOffset() + ".");
            }
            return shown;
        } catch (DateTimeException e) {
            return Map.of();
        }
    }

    /** The API's problems by the form's field: sendAt shows at the date, a recipient's at its line. */
    static Map<String, String> errorsByField(List<FieldError> errors) {
        return FormErrors.byField(errors, ComposeForm::placed);
    }

    private static FieldError placed(FieldError error) {
        String field = error.field();
        Matcher recipient = RECIPIENT_FIELD.matcher(field);
        if (recipient.matches()) {
            return new FieldError("recipients", "line " + (Integer.parseInt(recipient.group(1)) + 1) + ": "
                    + (recipient.group(2) == null ? "" : recipient.group(2) + " ") + error.message());
        }
        String formField = switch (field) {
            case "sendAt" -> "date";
            case "timeZone" -> "zone";
            default -> field.startsWith("recipients") ? "recipients" : field;
        };
        return new FieldError(formField, error.message());
    }

    Map<String, Object> values() {
        Map<String, Object> values = new HashMap<>();
        values.put("messageSystem", messageSystem);
        values.put("subject", subject);
        values.put("text", text);
        values.put("html", html);
        values.put("recipients", recipients);
        values.put("list", list);
        values.put("date", date);
        values.put("time", time);
        values.put("zone", zone);
        return values;
    }
}
