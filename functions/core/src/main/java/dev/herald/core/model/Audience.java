package dev.herald.core.model;

/**
 * Where a message's recipients come from when it names a list: the list, the chunk size its recipients
 * are cut into, and how far the message's first run has copied the list into chunks. Copying goes by
 * member key: {@code resolvedThrough} is the last key copied (null before the first). Once
 * {@code resolved}, the message's recipients are frozen: later changes to the list do not reach it.
 */
public record Audience(String listId, int chunkSize, String resolvedThrough, boolean resolved) {

    public static Audience of(String listId, int chunkSize) {
        return new Audience(listId, chunkSize, null, false);
    }

    /** Copied on through {@code lastKey}; {@code last}: that was the list's end. */
    public Audience copiedThrough(String lastKey, boolean last) {
        return new Audience(listId, chunkSize, lastKey == null ? resolvedThrough : lastKey, last);
    }
}
