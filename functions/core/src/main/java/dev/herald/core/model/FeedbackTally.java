package dev.herald.core.model;

/**
 * What the provider reported of one chunk's mails, as of a version of that chunk: a message keeps
 * one per chunk, so that a report counted twice (redelivered, or retried after a crash) is still
 * counted once, and an older tally never replaces a newer one.
 */
public record FeedbackTally(long chunkVersion, int delivered, int bounced, int complained, int rejected) {

    public static FeedbackTally of(Chunk chunk) {
        Counts counts = chunk.counts();
        return new FeedbackTally(chunk.version(), counts.delivered(), counts.bounced(), counts.complained(),
                counts.rejected());
    }

    Counts asCounts() {
        return new Counts(0, 0, 0, 0, 0, 0, 0, 0, delivered, bounced, complained, rejected);
    }
}
