package dev.herald.console;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.SendWindowsInput;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The compose dialog's fields as typed, and what they mean: the schedule request they make, the
 * instant they name (with what a DST change does to it), and the API's problems placed at the
 * fields the user typed them in.
 */
record ComposeForm(String messageSystem, String subject, String text, String html, String recipients, String list,
                   String date, String time, String zone, boolean localTime, Limits limits) {

    /**
     * How late, when and how much it may be sent, as typed: a send-by date-time in the form's zone, send windows one
     * a line ({@link WindowLines}) in their own zone, and a daily cap. All blank: no limit.
     */
    record Limits(String sendBy, String windows, String windowsZone, String dailyCap) {

        static final Limits NONE = new Limits("", "", "", "");

        SendWindowsInput sendWindows() {
            return WindowLines.input(windows, windowsZone);
        }

        /** The cap, null when blank; not a whole number, a problem at its field before anything else is checked. */
        Integer cap() {
            try {
                return dailyCap.isBlank() ? null : Integer.valueOf(dailyCap.trim());
            } catch (NumberFormatException e) {
                throw ValidationException.of("dailyCap", "must be a whole number");
            }
        }
    }

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz (xxx)", Locale.ENGLISH);

    static ComposeForm of(Map<String, String> form) {
        Map<String, String> f = form == null ? Map.of() : form;
        return new ComposeForm(f.getOrDefault("messageSystem", ""), f.getOrDefault("subject", ""),
                f.getOrDefault("text", ""), f.getOrDefault("html", ""), f.getOrDefault("recipients", ""),
                f.getOrDefault("list", ""), f.getOrDefault("date", ""), f.getOrDefault("time", ""), f.getOrDefault("zone", ""),
                f.containsKey("localTime"), new Limits(f.getOrDefault("sendBy", ""), f.getOrDefault("sendWindows", ""),
                f.getOrDefault("sendWindowsZone", ""), f.getOrDefault("dailyCap", "")));
    }

    /** The recipients pasted, one a line (see {@link PastedLines}). */
    List<RecipientInput> pastedRecipients() {
        return PastedLines.of(recipients).stream()
                .map(line -> new RecipientInput(line.email(), line.name(), Map.of(), line.timeZone())).toList();
    }

    /**
     * The request this form makes: to its pasted recipients or its list, at its date and time in its zone, within
     * its limits.
     */
    ScheduleRequest request() {
        return new ScheduleRequest(messageSystem.trim(), subject, ConsoleForms.blankToNull(text), ConsoleForms.blankToNull(html),
                list.isBlank() ? pastedRecipients() : null, sendAt(), ConsoleForms.blankToNull(zone.trim()),
                ConsoleForms.blankToNull(limits.sendBy().trim()), null, ConsoleForms.blankToNull(list), limits.sendWindows(),
                limits.cap(), localTime ? Boolean.TRUE : null);
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
     * by the gap, a time that happens twice is the earlier one). In each recipient's local time, the
     * pasted recipients' zones (the form's zone for those without one) make several instants: the first
     * and the last are shown, and a DST change in any of those zones. Empty while the fields do not name one.
     */
    Map<String, Object> instant(ZoneId viewer) {
        try {
            LocalDateTime local = LocalDateTime.of(LocalDate.parse(date.trim()), LocalTime.parse(time.trim()));
            ZoneId in = ZoneId.of(zone.trim());
            List<ZoneId> zones = localTime ? recipientZones(in) : List.of(in);
            List<ZonedDateTime> instants = zones.stream().map(z -> ZonedDateTime.ofLocal(local, z, null))
                    .sorted(Comparator.comparing(ZonedDateTime::toInstant)).toList();
            Map<String, Object> shown = new HashMap<>();
            shown.put("utc", SHOWN.format(instants.get(0).toInstant().atZone(UTC)));
            shown.put("viewer", SHOWN.format(instants.get(0).toInstant().atZone(viewer)));
            if (localTime) {
                ZonedDateTime last = instants.get(instants.size() - 1);
                shown.put("local", local.toLocalTime() + " in each recipient's zone" + (list.isBlank()
                        ? ": " + instants.size() + " instant(s), the first in " + instants.get(0).getZone()
                        + ", the last at " + SHOWN.format(last.toInstant().atZone(UTC)) + " in " + last.getZone()
                        : " (the list's members' zones decide; " + in + " for those without one)"));
            }
            List<String> dst = zones.stream().map(z -> dstNote(local, z)).filter(note -> !note.isEmpty()).toList();
            if (!dst.isEmpty()) {
                shown.put("dst", String.join(" ", dst));
            }
            return shown;
        } catch (DateTimeException e) {
            return Map.of();
        }
    }

    /** The distinct zones of the pasted recipients that name a valid one, and {@code fallback} for the others. */
    private List<ZoneId> recipientZones(ZoneId fallback) {
        Set<ZoneId> zones = new LinkedHashSet<>();
        for (RecipientInput recipient : pastedRecipients()) {
            try {
                zones.add(recipient.timeZone() == null ? fallback : ZoneId.of(recipient.timeZone()));
            } catch (DateTimeException e) {
                // The API names it at its line when the form is sent; the preview shows the others.
            }
        }
        if (zones.isEmpty()) {
            zones.add(fallback);
        }
        return List.copyOf(zones);
    }

    private static String dstNote(LocalDateTime local, ZoneId in) {
        List<ZoneOffset> offsets = in.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            return local.toLocalTime() + " does not exist in " + in + " that day (the clocks go forward): "
                    + "it is sent at " + ZonedDateTime.ofLocal(local, in, null).toLocalTime() + ", local time.";
        }
        if (offsets.size() > 1) {
            return local.toLocalTime() + " happens twice in " + in + " that day (the clocks go back): "
                    + "it is sent the first time, at offset " + ZonedDateTime.ofLocal(local, in, null).getOffset() + ".";
        }
        return "";
    }

    /** The API's problems by the form's field: sendAt shows at the date, a recipient's and a send window's at its line. */
    static Map<String, String> errorsByField(List<FieldError> errors) {
        return FormErrors.byField(errors, ComposeForm::placed);
    }

    private static FieldError placed(FieldError error) {
        FieldError byLine = FormErrors.atLines("sendWindows.windows", "sendWindows")
                .apply(FormErrors.atLines("recipients", "recipients").apply(error));
        String formField = switch (byLine.field()) {
            case "sendAt" -> "date";
            case "timeZone" -> "zone";
            case "sendWindows.timeZone" -> "sendWindowsZone";
            default -> byLine.field();
        };
        return new FieldError(formField, byLine.message());
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
        values.put("localTime", localTime);
        values.put("sendBy", limits.sendBy());
        values.put("sendWindows", limits.windows());
        values.put("sendWindowsZone", limits.windowsZone());
        values.put("dailyCap", limits.dailyCap());
        values.put("limited", !limits.equals(Limits.NONE));
        return values;
    }
}
