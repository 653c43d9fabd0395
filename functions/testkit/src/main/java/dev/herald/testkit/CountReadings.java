package dev.herald.testkit;

import java.util.List;
import java.util.Map;

/**
 * The readings of a message's counts (as the API answers them) while it is sent, each checked: its states add
 * up to its total, the total never exceeds the audience nor shrinks (and is the audience once the list is copied
 * whole), and the sent count never goes back.
 */
public final class CountReadings {

    private static final List<String> STATES = List.of("pending", "sent", "failed", "unknown", "cancelled", "expired",
            "suppressed");

    private final int audience;
    private int total;
    private int sent;
    private int readings;

    public CountReadings(int audience) {
        this.audience = audience;
    }

    /** Checks one reading against the one before; throws when it does not add up. */
    public void check(Map<String, ?> counts, boolean copiedWhole) {
        int readTotal = number(counts, "total");
        int readSent = number(counts, "sent");
        int accounted = STATES.stream().mapToInt(state -> number(counts, state)).sum();
        if (accounted != readTotal || readTotal > audience || (copiedWhole && readTotal != audience) || readTotal < total
                || readSent < sent) {
            throw new IllegalStateException("counts that do not add up, or went back: " + counts + " after total "
                    + total + ", sent " + sent);
        }
        total = readTotal;
        sent = readSent;
        readings++;
    }

    public int readings() {
        return readings;
    }

    private static int number(Map<String, ?> counts, String state) {
        return ((Number) counts.get(state)).intValue();
    }
}
