package dev.herald.core.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One recipient of a message, with its template data and, once known, its outcome and what the
 * provider reported of its mail since, in time order.
 */
public record Recipient(String email, String name, Map<String, Object> data, Outcome outcome,
                        List<FeedbackEntry> feedback) {

    public Recipient {
        data = data == null ? Map.of() : data;
        feedback = feedback == null ? List.of() : feedback;
    }

    public Recipient(String email, String name, Map<String, Object> data, Outcome outcome) {
        this(email, name, data, outcome, List.of());
    }

    public RecipientState state() {
        return outcome == null ? RecipientState.PENDING : outcome.state();
    }

    public boolean isPending() {
        return outcome == null;
    }

    public Recipient withOutcome(Outcome newOutcome) {
        return new Recipient(email, name, data, newOutcome, feedback);
    }

    /** This recipient with one more report of the provider, in the state it leads to. */
    public Recipient withFeedback(FeedbackEntry entry, Outcome newOutcome) {
        List<FeedbackEntry> history = new ArrayList<>(feedback);
        history.add(entry);
        history.sort(Comparator.comparing(FeedbackEntry::at));
        return new Recipient(email, name, data, newOutcome, List.copyOf(history));
    }
}
