package dev.herald.core.model;

import java.util.List;
import java.util.function.Function;

/** One page of a listing; {@code nextCursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * The page of a listing read one row further than {@code limit}, so that the extra row tells
     * whether another page follows: its first {@code limit} rows, and the cursor after the last.
     */
    public static <T> Page<T> ofRowsBeyond(List<T> rows, int limit, Function<T, String> cursorAfter) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> page = List.copyOf(rows.subList(0, limit));
        return new Page<>(page, cursorAfter.apply(page.get(limit - 1)));
    }
}
