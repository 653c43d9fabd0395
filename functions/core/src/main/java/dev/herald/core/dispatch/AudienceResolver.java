package dev.herald.core.dispatch;

import dev.herald.core.model.Audience;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.ListState;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Page;
import dev.herald.core.model.Recipient;
import dev.herald.core.port.Store;
import dev.herald.core.storage.AddressCursor;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Copies the list a message names into the message's chunks, at its first run: the members as they are
 * then. (The suppressed among them are spared as every recipient is, looked up just before their chunk is
 * sent: one lookup, however long the copy waits to be sent.) It goes a page of members at a time (never
 * the whole list in memory), and each page ends in one write of the message that records the new chunks,
 * their counts and the key copied through. A run that dies or stops part-way leaves the message
 * where its last write put it; chunks written past that point are written again by the next run.
 */
final class AudienceResolver {

    /** Chunks copied per step: each step is one read of members, one write of chunks and one of the message. */
    static final int CHUNKS_PER_STEP = 10;

    private final Store store;
    private final Clock clock;

    AudienceResolver(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The list can no longer be read: deleted before the message first fired. */
    static final class ListUnavailableException extends RuntimeException {
        ListUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Copies on until the list is copied whole, the message is cancelled or {@code stop} says so (the
     * run's deadline is near); answers the message as stored then.
     */
    Message resolve(Message message, BooleanSupplier stop) {
        Message current = message;
        if (current.audience().resolvedThrough() == null) {
            Optional<AudienceList> list = store.findList(current.audience().listId());
            if (list.isEmpty() || list.get().state() == ListState.DELETING) {
                throw new ListUnavailableException("ListMissing: list " + current.audience().listId()
                        + " was deleted before the message first fired");
            }
        }
        while (!current.audience().resolved() && current.status() != MessageStatus.CANCELLED && !stop.getAsBoolean()) {
            current = copyStep(current);
        }
        return current;
    }

    private Message copyStep(Message message) {
        Audience audience = message.audience();
        String cursor = audience.resolvedThrough() == null ? null : AddressCursor.after(audience.resolvedThrough());
        Page<ListMember> members = store.listMembers(audience.listId(), cursor, audience.chunkSize() * CHUNKS_PER_STEP);
        List<Recipient> recipients = members.items().stream().map(ListMember::toRecipient).toList();
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0; start < recipients.size(); start += audience.chunkSize()) {
            chunks.add(new Chunk(message.id(), message.chunkCount() + chunks.size(),
                    recipients.subList(start, Math.min(recipients.size(), start + audience.chunkSize())), ChunkState.PENDING,
                    null, clock.instant(), 0));
        }
        if (!chunks.isEmpty()) {
            store.putChunks(chunks);
        }
        String lastKey = members.items().isEmpty() ? null : members.items().get(members.items().size() - 1).key();
        Audience next = audience.copiedThrough(lastKey, members.nextCursor() == null);
        Counts added = Counts.allPending(recipients.size());
        // The run holds the task's claim: no one else copies, so the chunk count read above is still the message's.
        return MessageUpdates.apply(store, message.id(), m -> m.withAudience(next, m.chunkCount() + chunks.size(), m.counts().plus(added),
                clock.instant()));
    }
}
