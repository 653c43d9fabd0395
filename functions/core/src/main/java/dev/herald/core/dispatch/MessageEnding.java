package dev.herald.core.dispatch;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RunStatus;
import dev.herald.core.port.Store;

import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;

/** A message made final once its last task is done: its status read from its counts and from how the last run ended. */
final class MessageEnding {

    private MessageEnding() {
    }

    /**
     * Ends the message. {@code recount}: its counts are summed again from its chunks first, as for a message of several
     * tasks, whose runs may have overlapped with a takeover's recount (one task's counts are exact: a run starts from
     * exact counts and its recorder adds every chunk it saves).
     */
    static Message end(Store store, Clock clock, String messageId, RunStatus lastRun, boolean recount) {
        Optional<Counts> recounted = recount ? Optional.of(countedFromTheChunks(store, messageId)) : Optional.empty();
        return MessageUpdates.apply(store, messageId, m -> {
            Counts counts = recounted.orElse(m.counts());
            MessageStatus finalStatus = m.status() == MessageStatus.CANCELLED ? MessageStatus.CANCELLED
                    : lastRun == RunStatus.EXPIRED || counts.expired() > 0 ? MessageStatus.EXPIRED
                    // A run that could not send fails the message, though it had no recipient (a list gone).
                    : lastRun == RunStatus.FAILED && counts.sent() == 0 ? MessageStatus.FAILED
                    : counts.sent() == counts.total() - counts.suppressed() ? MessageStatus.SENT
                    : counts.sent() == 0 ? MessageStatus.FAILED
                    : MessageStatus.PARTIALLY_SENT;
            return m.withCounts(counts, clock.instant()).withStatus(finalStatus, clock.instant());
        });
    }

    /** The message's counts summed from its chunks, a page at a time. */
    static Counts countedFromTheChunks(Store store, String messageId) {
        try (Stream<Chunk> chunks = store.streamChunks(store.findMessage(messageId).orElseThrow())) {
            return chunks.map(Chunk::counts).reduce(Counts.ZERO, Counts::plus);
        }
    }
}
