package dev.herald.core.model;

/**
 * What the provider reported of one chunk's mails, as of a version of that chunk (its counts, of
 * which only the feedback's are read). The store keeps one per chunk beside the message, not in it (a
 * message of 10,000 chunks would outgrow a DynamoDB item, and every report would rewrite it), so that a
 * report counted twice (redelivered, or retried after a crash) is still counted once, and an older tally
 * never replaces a newer one.
 */
public record FeedbackTally(long chunkVersion, Counts counts) {

    public static FeedbackTally of(Chunk chunk) {
        return new FeedbackTally(chunk.version(), chunk.counts());
    }
}
