package dev.herald.core.model;

/** What a provider reports of a mail it accepted, and the recipient state each report leads to. */
public enum FeedbackKind {
    DELIVERY(RecipientState.DELIVERED, 1),
    /** Tried again later by the provider: recorded, the state stays. */
    TRANSIENT_BOUNCE(null, 0),
    DELIVERY_DELAY(null, 0),
    REJECT(RecipientState.REJECTED, 2),
    RENDERING_FAILURE(RecipientState.REJECTED, 2),
    PERMANENT_BOUNCE(RecipientState.BOUNCED, 3),
    COMPLAINT(RecipientState.COMPLAINED, 4);

    private final RecipientState state;
    private final int rank;

    FeedbackKind(RecipientState state, int rank) {
        this.state = state;
        this.rank = rank;
    }

    /**
     * The state a sent recipient in {@code current} is in after this report. Reports arrive in any
     * order: a later one never undoes a graver one (a complaint stays one when the delivery's report
     * comes after it).
     */
    public RecipientState after(RecipientState current) {
        if (state == null || rankOf(current) >= rank) {
            return current;
        }
        return state;
    }

    private static int rankOf(RecipientState state) {
        for (FeedbackKind kind : values()) {
            if (kind.state == state) {
                return kind.rank;
            }
        }
        return 0;
    }
}
