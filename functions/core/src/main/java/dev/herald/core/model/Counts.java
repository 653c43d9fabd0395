package dev.herald.core.model;

import java.util.Collection;

/** Recipients of a message (or a chunk, or a run) by outcome. */
public record Counts(int total, int pending, int sent, int failed, int unknown) {

    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

    public static Counts allPending(int total) {
        return new Counts(total, total, 0, 0, 0);
    }

    public static Counts of(Collection<Recipient> recipients) {
        int sent = 0;
        int failed = 0;
        int unknown = 0;
        for (Recipient recipient : recipients) {
            switch (recipient.state()) {
                case SENT -> sent++;
                case FAILED -> failed++;
                case UNKNOWN -> unknown++;
                case PENDING -> { }
            }
        }
        int total = recipients.size();
        return new Counts(total, total - sent - failed - unknown, sent, failed, unknown);
    }

    public Counts plus(Counts other) {
        return new Counts(total + other.total, pending + other.pending, sent + other.sent,
                failed + other.failed, unknown + other.unknown);
    }
}
