package dev.herald.core.schedule;

import dev.herald.core.model.SendWindows;

import java.util.List;

/** Send windows as a caller writes them: days as {@code MON}..{@code SUN}, times as {@code HH:mm}, in an IANA zone. */
public record SendWindowsInput(String timeZone, List<WindowInput> windows) {

    public record WindowInput(List<String> days, String from, String to) {
    }

    /** Windows written back as a caller would write them (null for none): what keeps them across a rewrite of the rest. */
    public static SendWindowsInput of(SendWindows windows) {
        return windows == null ? null : new SendWindowsInput(windows.timeZone(), windows.windows().stream()
                .map(w -> new WindowInput(w.days().stream().sorted().map(d -> d.name().substring(0, 3)).toList(),
                        w.from().toString(), w.to().toString())).toList());
    }
}
