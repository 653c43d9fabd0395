package dev.herald.core.model;

/**
 * What the provider reported of one chunk's mails, as of a version of that chunk (its counts, of
 * which only the feedback's are read): a message keeps one per chunk, so that a report counted twice
 * (redelivered, or retried after a crash) is still counted once, and an older tally never replaces
 * a newer one.
 */
public record FeedbackTally(long chunkVersion, Counts counts) {

    public static FeedbackTally of(Chunk chunk) {
        return new FeedbackTally(chunk.version(), chunk.counts());
    }
}
