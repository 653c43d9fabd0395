package dev.herald.console;

import dev.herald.core.schedule.SendWindowsInput;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Send windows typed one a line, as days and a time span: {@code MON-FRI 09:00-17:00}, {@code SAT SUN 10:00-12:00}.
 * A range of days ({@code MON-FRI}) is spelled out; anything else is handed on as typed, for the API to name what
 * is wrong with it at its line.
 */
final class WindowLines {

    private WindowLines() {
    }

    static List<SendWindowsInput.WindowInput> parse(String text) {
        return ConsoleForms.lines(text).map(WindowLines::window).toList();
    }

    /** The windows typed one a line, in the zone typed beside them; null (none) when both are blank. */
    static SendWindowsInput input(String lines, String zone) {
        return lines.isBlank() && zone.isBlank() ? null
                : new SendWindowsInput(ConsoleForms.blankToNull(zone.trim()), parse(lines));
    }

    static String format(SendWindowsInput windows) {
        return windows == null ? "" : windows.windows().stream()
                .map(w -> String.join(" ", w.days()) + " " + w.from() + "-" + w.to())
                .collect(Collectors.joining("\n"));
    }

    private static SendWindowsInput.WindowInput window(String line) {
        List<String> tokens = new ArrayList<>(Arrays.asList(line.split("[\\s,]+")));
        String span = tokens.remove(tokens.size() - 1);
        int dash = span.indexOf('-');
        List<String> days = tokens.stream().flatMap(token -> range(token).orElse(List.of(token)).stream()).toList();
        return new SendWindowsInput.WindowInput(days, dash < 0 ? span : span.substring(0, dash),
                dash < 0 ? null : span.substring(dash + 1));
    }

    /** {@code FRI-MON} is FRI SAT SUN MON: the days from the first to the last, round the week. */
    private static Optional<List<String>> range(String token) {
        String[] ends = token.split("-", 2);
        if (ends.length < 2) {
            return Optional.empty();
        }
        Optional<DayOfWeek> first = day(ends[0]);
        Optional<DayOfWeek> last = day(ends[1]);
        if (first.isEmpty() || last.isEmpty()) {
            return Optional.empty();
        }
        List<String> days = new ArrayList<>();
        for (DayOfWeek day = first.get(); ; day = day.plus(1)) {
            days.add(day.name().substring(0, 3));
            if (day == last.get()) {
                return Optional.of(days);
            }
        }
    }

    private static Optional<DayOfWeek> day(String text) {
        return Arrays.stream(DayOfWeek.values()).filter(d -> d.name().substring(0, 3).equals(text.toUpperCase(Locale.ROOT)))
                .findFirst();
    }
}
