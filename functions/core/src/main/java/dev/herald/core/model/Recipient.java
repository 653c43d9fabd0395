package dev.herald.core.model;

import java.util.Map;

/** One recipient of a message, with its template data and, once known, its outcome. */
public record Recipient(String email, String name, Map<String, Object> data, Outcome outcome) {

    public Recipient {
        data = data == null ? Map.of() : data;
    }

    public RecipientState state() {
        return outcome == null ? RecipientState.PENDING : outcome.state();
    }

    public boolean isPending() {
        return outcome == null;
    }

    public Recipient withOutcome(Outcome newOutcome) {
        return new Recipient(email, name, data, newOutcome);
    }
}
