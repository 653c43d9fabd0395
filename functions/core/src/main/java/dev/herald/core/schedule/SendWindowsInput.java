package dev.herald.core.schedule;

import java.util.List;

/** Send windows as a caller writes them: days as {@code MON}..{@code SUN}, times as {@code HH:mm}, in an IANA zone. */
public record SendWindowsInput(String timeZone, List<WindowInput> windows) {

    public record WindowInput(List<String> days, String from, String to) {
    }
}
