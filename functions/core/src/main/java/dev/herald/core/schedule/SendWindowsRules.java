package dev.herald.core.schedule;

import dev.herald.core.error.FieldError;
import dev.herald.core.model.SendWindows;
import dev.herald.core.rules.TimeZoneRules;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads send windows as given (a message's or a message system's), naming each field at fault under its field. */
public final class SendWindowsRules {

    private static final int MAX_WINDOWS = 20;

    private SendWindowsRules() {
    }

    /** The windows, if every part of them reads and one of them opens at all. */
    public static Optional<SendWindows> check(String field, SendWindowsInput input, List<FieldError> errors) {
        int before = errors.size();
        if (input.timeZone() == null) {
            errors.add(new FieldError(field + ".timeZone", "is required: the IANA zone the windows are read in"));
        } else {
            TimeZoneRules.problemWithZone(input.timeZone())
                    .ifPresent(p -> errors.add(new FieldError(field + ".timeZone", p)));
        }
        if (input.windows() == null || input.windows().isEmpty()) {
            errors.add(new FieldError(field + ".windows", "at least one window is required: with none it never opens"));
            return Optional.empty();
        }
        if (input.windows().size() > MAX_WINDOWS) {
            errors.add(new FieldError(field + ".windows", "at most " + MAX_WINDOWS + " windows"));
            return Optional.empty();
        }
        List<SendWindows.Window> windows = new ArrayList<>();
        for (int i = 0; i < input.windows().size(); i++) {
            window(field + ".windows[" + i + "]", input.windows().get(i), errors).ifPresent(windows::add);
        }
        return errors.size() > before ? Optional.empty() : Optional.of(new SendWindows(input.timeZone(), windows));
    }

    private static Optional<SendWindows.Window> window(String field, SendWindowsInput.WindowInput input,
                                                       List<FieldError> errors) {
        int before = errors.size();
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (input.days() == null || input.days().isEmpty()) {
            errors.add(new FieldError(field + ".days", "at least one day is required: with none it never opens"));
        } else {
            for (int d = 0; d < input.days().size(); d++) {
                day(input.days().get(d)).ifPresentOrElse(days::add, () -> {
                    errors.add(new FieldError(field + ".days", "days are MON, TUE, WED, THU, FRI, SAT and SUN"));
                });
            }
        }
        Optional<LocalTime> from = time(field + ".from", input.from(), errors);
        Optional<LocalTime> to = time(field + ".to", input.to(), errors);
        if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
            errors.add(new FieldError(field + ".to", "must be after from (" + from.get() + "): a window ends the day it opens"));
        }
        return errors.size() > before ? Optional.empty() : Optional.of(new SendWindows.Window(days, from.get(), to.get()));
    }

    private static Optional<DayOfWeek> day(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().substring(0, 3).equals(text.toUpperCase(Locale.ROOT))) {
                return Optional.of(day);
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalTime> time(String field, String text, List<FieldError> errors) {
        if (text == null) {
            errors.add(new FieldError(field, "is required, as HH:mm"));
            return Optional.empty();
        }
        try {
            if (text.matches("\\d{2}:\\d{2}")) {
                return Optional.of(LocalTime.parse(text));
            }
        } catch (DateTimeParseException e) {
            // falls through to the error
        }
        errors.add(new FieldError(field, "must be a time of day as HH:mm, such as 09:00"));
        return Optional.empty();
    }

    /** A message that must be sent by {@code sendBy} needs a window that opens before it. */
    static void checkOpensBefore(String field, SendWindows windows, Instant sendAt, Instant sendBy,
                                 List<FieldError> errors) {
        if (sendBy != null && !windows.nextOpening(sendAt).isBefore(sendBy)) {
            errors.add(new FieldError(field, "no window opens between the send time (" + sendAt + ") and sendBy ("
                    + sendBy + ")"));
        }
    }
}
