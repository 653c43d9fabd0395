package dev.herald.core.model;

import java.util.Collection;
import java.util.function.IntBinaryOperator;

/**
 * Recipients of a message (or a chunk, or a run) by outcome. {@code sent} counts every mail the
 * provider accepted; {@code delivered}, {@code bounced}, {@code complained} and {@code rejected} break
 * down what it reported of them since (the rest it has not reported on, or never will).
 */
public record Counts(int total, int pending, int sent, int failed, int unknown, int cancelled, int expired,
                     int suppressed, int delivered, int bounced, int complained, int rejected) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static Counts allPending(int total) {
        return new Counts(total, total, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** A run's tallies: no feedback is known while it sends. */
    public static Counts ofRun(int sent, int failed, int unknown) {
        return new Counts(sent + failed + unknown, 0, sent, failed, unknown, 0, 0, 0, 0, 0, 0, 0);
    }

    /** These counts with the provider's feedback as {@code feedback} tells it. */
    public Counts withFeedbackOf(Counts feedback) {
        return new Counts(total, pending, sent, failed, unknown, cancelled, expired, suppressed, feedback.delivered,
                feedback.bounced, feedback.complained, feedback.rejected);
    }

    public static Counts of(Collection<Recipient> recipients) {
        int sent = 0;
        int failed = 0;
        int unknown = 0;
        int cancelled = 0;
        int expired = 0;
        int suppressed = 0;
        int delivered = 0;
        int bounced = 0;
        int complained = 0;
        int rejected = 0;
        for (Recipient recipient : recipients) {
            if (recipient.state().isSent()) {
                sent++;
            }
            switch (recipient.state()) {
                case DELIVERED -> delivered++;
                case BOUNCED -> bounced++;
                case COMPLAINED -> complained++;
                case REJECTED -> rejected++;
                case SENT -> { }
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
                cancelled, expired, suppressed, delivered, bounced, complained, rejected);
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
                op.applyAsInt(suppressed, other.suppressed), op.applyAsInt(delivered, other.delivered),
                op.applyAsInt(bounced, other.bounced), op.applyAsInt(complained, other.complained),
                op.applyAsInt(rejected, other.rejected));
    }
}
