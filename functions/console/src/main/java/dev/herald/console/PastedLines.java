package dev.herald.console;

import java.util.List;

/**
 * Addresses pasted into a form, one a line: an address, then optionally a comma and a name, then optionally
 * a comma and the person's IANA zone. A third field is always the zone, so that a zone typed wrong is refused
 * at its line rather than read as part of a name. Blank lines are skipped.
 */
record PastedLines(String email, String name, String timeZone) {

    static List<PastedLines> of(String text) {
        return ConsoleForms.lines(text).map(line -> {
            String[] fields = line.split(",", 3);
            return new PastedLines(fields[0].trim(), fields.length > 1 ? ConsoleForms.blankToNull(fields[1].trim()) : null,
                    fields.length > 2 ? ConsoleForms.blankToNull(fields[2].trim()) : null);
        }).toList();
    }
}
