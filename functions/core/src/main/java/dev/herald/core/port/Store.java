package dev.herald.core.port;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.IdempotencyRecord;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Page;
import dev.herald.core.model.Run;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;

import java.time.Instant;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Durable state. Every {@code update} is a single-item conditional write: it succeeds only when
 * the stored version equals the given value's version, stores the value with the version
 * incremented and returns it; otherwise it returns empty and changes nothing. That is all the
 * concurrency control the services need, and a store without transactions can provide it.
 * Adapters raise {@link dev.herald.core.error.StoreException} when they fail; they never swallow it.
 */
public interface Store {

    /** Later than any task's instant (scheduling horizons are years), and still a time every store can hold. */
    Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    /** Stores a new message system; false when the id is taken. */
    boolean insertMessageSystem(MessageSystem system);

    Optional<MessageSystem> findMessageSystem(String id);

    /** All message systems, by id. */
    List<MessageSystem> listMessageSystems();

    Optional<MessageSystem> updateMessageSystem(MessageSystem system);

    /** Deletes it when its stored version is {@code expectedVersion}. */
    boolean deleteMessageSystem(String id, long expectedVersion);

    /** Whether any message of that system is still scheduled or sending. */
    boolean hasUnfinishedMessages(String messageSystemId);

    /**
     * Stores a new message with its chunks and its task. When it returns, all of them are visible;
     * when it fails, the message is not (stray chunks or tasks may remain for a reconciler).
     */
    void createMessage(Message message, List<Chunk> chunks, Task task);

    Optional<Message> findMessage(String id);

    Page<Message> listMessages(MessageQuery query);

    Optional<Message> updateMessage(Message message);

    /** How many chunks {@link #streamChunks} reads at a time: a few thousand recipients. */
    int CHUNK_PAGE = 20;

    /** Of the message's chunks by index, at most {@code limit} from {@code fromIndex} on. */
    List<Chunk> listChunks(String messageId, int fromIndex, int limit);

    /**
     * The message's chunks by index, read a page at a time as the stream is consumed: a message of a
     * million recipients is never in memory at once.
     */
    default Stream<Chunk> streamChunks(String messageId) {
        Iterator<Chunk> pages = new Iterator<>() {
            private List<Chunk> page = listChunks(messageId, 0, CHUNK_PAGE);
            private int position;

            @Override
            public boolean hasNext() {
                if (position == page.size() && page.size() == CHUNK_PAGE) {
                    page = listChunks(messageId, page.get(page.size() - 1).index() + 1, CHUNK_PAGE);
                    position = 0;
                }
                return position < page.size();
            }

            @Override
            public Chunk next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(position++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED), false);
    }

    /** All the message's chunks by index, in memory: for messages known to be small. */
    default List<Chunk> listChunks(String messageId) {
        return streamChunks(messageId).toList();
    }

    /** One chunk of a message, by its index. */
    Optional<Chunk> findChunk(String messageId, int index);

    Optional<Chunk> updateChunk(Chunk chunk);

    Optional<Task> findTask(String id);

    List<Task> listTasks(String messageId);

    /** Every task in one of the states due at {@code dueBy} or before, oldest fire instant first. */
    List<Task> listTasksByState(Set<TaskState> states, Instant dueBy);

    /** Every task in one of the states, oldest fire instant first. */
    default List<Task> listTasksByState(Set<TaskState> states) {
        return listTasksByState(states, LATEST);
    }

    Optional<Task> updateTask(Task task);

    void insertRun(Run run);

    Optional<Run> updateRun(Run run);

    /** The message's runs, oldest first. */
    List<Run> listRuns(String messageId);

    /** Stores the record; false when the caller already used that key. */
    boolean insertIdempotencyRecord(IdempotencyRecord record);

    Optional<IdempotencyRecord> findIdempotencyRecord(String callerId, String key);

    /**
     * Puts each entry on its system's suppression list unless its address is there already, which
     * keeps its first entry; answers how many were added.
     */
    int addSuppressions(List<Suppression> entries);

    /**
     * Of these addresses (keys, {@code AddressRules.key}), the ones on the system's list, with their
     * entries: one read for a chunk of recipients, never one per address.
     */
    Map<String, Suppression> findSuppressions(String messageSystemId, Collection<String> addresses);

    /** The system's list by address, {@code limit} at a time. */
    Page<Suppression> listSuppressions(String messageSystemId, String cursor, int limit);

    /** False when the address was not on the list. */
    boolean removeSuppression(String messageSystemId, String address);
}
