package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Outcome;

import java.util.stream.Stream;

/**
 * Ends the chunks a run will not send: every pending recipient gets the outcome (cancelled, expired,
 * failed). The recipients of a chunk a dead run may have had open may have been sent: they are recorded
 * {@code UNKNOWN} instead, and not resent. The ones already sent keep their outcomes.
 */
final class RestOfChunks {

    /** Chunks an ending run lets the recorder fall behind by: a few, never the whole message in memory. */
    private static final int BACKLOG = 4;

    private RestOfChunks() {
    }

    /**
     * @param deadOpenedBelow the chunks below this index may have been open in a run that died
     * @param whyNotResent    said of the unknown ones: why they are not sent again
     */
    static void record(Stream<Chunk> chunks, Outcome outcome, String whyNotResent, int deadOpenedBelow,
                       RunRecorder recorder) {
        Outcome inFlight = Outcome.unknown("InterruptedInFlight: a run died while sending; " + whyNotResent, outcome.at());
        try (Stream<Chunk> rest = chunks.filter(c -> c.state() != ChunkState.DONE)) {
            for (Chunk chunk : (Iterable<Chunk>) rest::iterator) {
                boolean mayHaveGoneOut = chunk.state() == ChunkState.IN_FLIGHT || chunk.index() < deadOpenedBelow;
                Outcome ending = mayHaveGoneOut ? inFlight : outcome;
                recorder.record(chunk, chunk.recipients().stream().map(r -> r.isPending() ? r.withOutcome(ending) : r)
                        .toList(), ChunkState.DONE);
                recorder.awaitUnsavedAtMost(BACKLOG);
            }
            recorder.finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording the message's end", e);
        }
    }
}
