package dev.herald.console;

import dev.herald.core.schedule.SendWindowsInput;
import dev.herald.core.schedule.SendWindowsInput.WindowInput;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console's one-a-line fields read as: pasted addresses and send windows. */
class TypedLinesTest {

    @Test
    void pastedLines_areAnAddress_thenANameAndAZone_eachOptional_andBlankLinesAreSkipped() {
        assertThat(PastedLines.of("ann@example.com\n\n  ben@example.com , Ben \r\ncid@example.com, , Asia/Tokyo\n"
                + "dan@example.com, Dan, Europe/Paris, extra"))
                .containsExactly(new PastedLines("ann@example.com", null, null), new PastedLines("ben@example.com", "Ben", null),
                        new PastedLines("cid@example.com", null, "Asia/Tokyo"),
                        new PastedLines("dan@example.com", "Dan", "Europe/Paris, extra"));
    }

    @Test
    void windowLines_spellOutRangesOfDays_roundTheWeek_andHandOnWhatTheyCannotRead() {
        assertThat(WindowLines.parse("MON-FRI 09:00-17:00\nfri-mon, 10:00-12:00\n\nSAT Someday 08:00\n"))
                .containsExactly(new WindowInput(List.of("MON", "TUE", "WED", "THU", "FRI"), "09:00", "17:00"),
                        new WindowInput(List.of("FRI", "SAT", "SUN", "MON"), "10:00", "12:00"),
                        new WindowInput(List.of("SAT", "Someday"), "08:00", null));
    }

    @Test
    void windowLines_writeBackWhatTheyRead() {
        SendWindowsInput windows = new SendWindowsInput("Europe/Vienna", List.of(
                new WindowInput(List.of("MON", "TUE"), "09:00", "17:00"), new WindowInput(List.of("SAT"), "10:00", "12:00")));

        assertThat(WindowLines.format(windows)).isEqualTo("MON TUE 09:00-17:00\nSAT 10:00-12:00");
        assertThat(WindowLines.parse(WindowLines.format(windows))).isEqualTo(windows.windows());
        assertThat(WindowLines.format(null)).isEmpty();
    }
}
