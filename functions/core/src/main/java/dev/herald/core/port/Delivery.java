package dev.herald.core.port;

/** The transport's answer for one mail. */
public record Delivery(Kind kind, String providerMessageId, String error) {

    public enum Kind {
        DELIVERED,
        /** Will never succeed (bad mailbox, suppressed address): recorded, not retried. */
        PERMANENT_FAILURE,
        /** May succeed later (connection reset, 4xx): retried a bounded number of times. */
        TRANSIENT_FAILURE,
        /** The provider asked us to slow down: the rate is lowered and the mail retried. */
        THROTTLED
    }

    public static Delivery delivered(String providerMessageId) {
        return new Delivery(Kind.DELIVERED, providerMessageId, null);
    }

    public static Delivery permanent(String error) {
        return new Delivery(Kind.PERMANENT_FAILURE, null, error);
    }

    public static Delivery transientFailure(String error) {
        return new Delivery(Kind.TRANSIENT_FAILURE, null, error);
    }

    public static Delivery throttled(String error) {
        return new Delivery(Kind.THROTTLED, null, error);
    }
}
