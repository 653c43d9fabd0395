package dev.herald.core.model;

import java.util.Collection;
import java.util.function.IntBinaryOperator;

/** Recipients of a message (or a chunk, or a run) by outcome. */
public record Counts(int total, int pending, int sent, int failed, int unknown, int cancelled, int expired,
                     int suppressed) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0);

    public static Counts allPending(int total) {
        return new Counts(total, total, 0, 0, 0, 0, 0, 0);
    }

    public static Counts of(Collection<Recipient> recipients) {
        int sent = 0;
        int failed = 0;
        int unknown = 0;
        int cancelled = 0;
        int expired = 0;
        int suppressed = 0;
        for (Recipient recipient : recipients) {
            switch (recipient.state()) {
                case SENT -> sent++;
                case FAILED -> failed++;
                case UNKNOWN -> unknown++;
                case CANCELLED -> cancelled++;
                case EXPIRED -> expired++;
                case SUPPRESSED -> suppressed++;
                case PENDING -> { }
            }
        }
        int total = recipients.size();
        return new Counts(total, total - sent - failed - unknown - cancelled - expired - suppressed, sent, failed, unknown,
                cancelled, expired, suppressed);
    }

    public Counts plus(Counts other) {
        return combine(other, Integer::sum);
    }

    /** What changed from {@code before} to this: each count's difference, the total's included. */
    public Counts minus(Counts before) {
        return combine(before, (now, then) -> now - then);
    }

    private Counts combine(Counts other, IntBinaryOperator op) {
        return new Counts(op.applyAsInt(total, other.total), op.applyAsInt(pending, other.pending),
                op.applyAsInt(sent, other.sent), op.applyAsInt(failed, other.failed), op.applyAsInt(unknown, other.unknown),
                op.applyAsInt(cancelled, other.cancelled), op.applyAsInt(expired, other.expired),
                op.applyAsInt(suppressed, other.suppressed));
    }
}
