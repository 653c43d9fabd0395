package dev.herald.core.model;

/**
 * The chunks of its message a task sends: from {@code from} up to, not including, {@code to}. Most tasks send all of
 * them ({@link #ALL}, however many a list's copy makes); each task of a local-time message sends the chunks of the
 * recipients whose local send time is its instant.
 */
public record ChunkRange(int from, int to) {

    public static final ChunkRange ALL = new ChunkRange(0, Integer.MAX_VALUE);

    public ChunkRange {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no chunk range from " + from + " to " + to);
        }
    }

    public boolean isAll() {
        return equals(ALL);
    }

    public boolean contains(int chunkIndex) {
        return chunkIndex >= from && chunkIndex < to;
    }
}
