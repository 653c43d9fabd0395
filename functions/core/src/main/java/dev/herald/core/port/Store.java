package dev.herald.core.port;

import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.Counts;
import dev.herald.core.model.FeedbackTally;
import dev.herald.core.model.IdempotencyRecord;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Page;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.ScheduleOccurrence;
import dev.herald.core.model.Run;
import dev.herald.core.model.Slice;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;

import java.time.Instant;
import java.time.LocalDate;
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
     * Stores a new message with its chunks and its tasks. When it returns, all of them are visible;
     * when it fails, the message is not (stray chunks or tasks may remain for a reconciler).
     */
    void createMessage(Message message, List<Chunk> chunks, List<Task> tasks);

    /** {@link #createMessage(Message, List, List)} for a message with one task. */
    default void createMessage(Message message, List<Chunk> chunks, Task task) {
        createMessage(message, chunks, List.of(task));
    }

    Optional<Message> findMessage(String id);

    Page<Message> listMessages(MessageQuery query);

    Optional<Message> updateMessage(Message message);

    /** How many chunks {@link #streamChunks(Message, int)} reads at a time: a few thousand recipients. */
    int CHUNK_PAGE = 20;

    /** Of the message's chunks by index, at most {@code limit} from {@code fromIndex} on. */
    List<Chunk> listChunks(String messageId, int fromIndex, int limit);

    /**
     * The message's chunks by index from {@code fromIndex}, read a page at a time as the stream is consumed:
     * a message of a million recipients is never in memory at once. It ends at the message's chunk count:
     * past it there may be chunks that a run copying the message's list wrote before it died, which are not
     * the message's until copied again.
     */
    default Stream<Chunk> streamChunks(Message message, int fromIndex) {
        Iterator<Chunk> pages = new Iterator<>() {
            private List<Chunk> page = listChunks(message.id(), fromIndex, CHUNK_PAGE);
            private int position;

            @Override
            public boolean hasNext() {
                if (position == page.size() && page.size() == CHUNK_PAGE) {
                    page = listChunks(message.id(), page.get(page.size() - 1).index() + 1, CHUNK_PAGE);
                    position = 0;
                }
                return position < page.size() && page.get(position).index() < message.chunkCount();
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

    /** The message's chunks in {@code range} by index, a page at a time. */
    default Stream<Chunk> streamChunks(Message message, ChunkRange range) {
        return streamChunks(message, range.from()).takeWhile(c -> range.contains(c.index()));
    }

    /** All the message's chunks by index, a page at a time: {@link #streamChunks(Message, int)} from the first. */
    default Stream<Chunk> streamChunks(Message message) {
        return streamChunks(message, 0);
    }

    /** All the message's chunks by index, in memory: for messages known to be small. */
    default List<Chunk> listChunks(String messageId) {
        return findMessage(messageId).map(message -> streamChunks(message).toList()).orElse(List.of());
    }

    /** One chunk of a message, by its index. */
    Optional<Chunk> findChunk(String messageId, int index);

    Optional<Chunk> updateChunk(Chunk chunk);

    /** Stores the slices of a message about to fan out, replacing any it has at their indices (none was claimed yet). */
    void putSlices(List<Slice> slices);

    /** The message's slices by index. */
    List<Slice> listSlices(String messageId);

    Optional<Slice> updateSlice(Slice slice);

    /** Keeps the chunk's feedback tally, unless one of the same or a newer chunk version is kept already. */
    void putFeedbackTally(String messageId, int chunkIndex, FeedbackTally tally);

    /** What the provider reported of the message's mails: its chunks' tallies summed (one read, however many). */
    Counts feedbackCounts(String messageId);

    /** Stores the chunks as given, replacing any the message has at their indices: a list copied into a message. */
    void putChunks(List<Chunk> chunks);

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
     * entries: one read for a chunk of recipients, never one per address. It may miss an entry added within
     * the last second (DynamoDB's eventually consistent read, at half the price of a strong one).
     */
    Map<String, Suppression> findSuppressions(String messageSystemId, Collection<String> addresses);

    /**
     * The entries of the system's list whose addresses (keys) lie between {@code fromKey} and {@code toKey},
     * both included: one read for recipients in key order (a chunk of a list), whatever their number, and it
     * may miss an entry added within the last second as {@link #findSuppressions} may.
     */
    Map<String, Suppression> findSuppressionsBetween(String messageSystemId, String fromKey, String toKey);

    /** The system's list by address, {@code limit} at a time. */
    Page<Suppression> listSuppressions(String messageSystemId, String cursor, int limit);

    /** False when the address was not on the list. */
    boolean removeSuppression(String messageSystemId, String address);

    /** Stores a new audience list (without members); false when the id is taken. */
    boolean insertList(AudienceList list);

    /** The list, with the count of members the store keeps. */
    Optional<AudienceList> findList(String id);

    /** The lists of an owner (every list when {@code ownerId} is null), newest first, {@code limit} at a time. */
    Page<AudienceList> listLists(String ownerId, String cursor, int limit);

    /** Changes the list's own fields (not its members, not its count). */
    Optional<AudienceList> updateList(AudienceList list);

    /**
     * Adds the members to the list, or replaces the ones it has under the same {@link ListMember#key key};
     * answers how many were new, by which the list's count grows. One key appears once in {@code members}.
     */
    int putMembers(String listId, List<ListMember> members);

    /** Removes the members under these keys; answers how many there were, by which the list's count shrinks. */
    int removeMembers(String listId, Collection<String> keys);

    /** The list's members by key, {@code limit} at a time after the key in the cursor. */
    Page<ListMember> listMembers(String listId, String cursor, int limit);

    /** Removes up to {@code atMost} of the list's members, whichever; answers how many it removed. */
    int removeSomeMembers(String listId, int atMost);

    /** Deletes the list record when its stored version is {@code expectedVersion} (its members gone first). */
    boolean deleteList(String id, long expectedVersion);

    /** Stores a new recurring schedule; false when the id is taken. */
    boolean insertRecurringSchedule(RecurringSchedule schedule);

    Optional<RecurringSchedule> findRecurringSchedule(String id);

    /** The recurring schedules of an owner (every one when {@code ownerId} is null), newest first, {@code limit} at a time. */
    Page<RecurringSchedule> listRecurringSchedules(String ownerId, String cursor, int limit);

    Optional<RecurringSchedule> updateRecurringSchedule(RecurringSchedule schedule);

    /** Deletes the recurring schedule, with its recorded occurrences, when its stored version is {@code expectedVersion}. */
    boolean deleteRecurringSchedule(String id, long expectedVersion);

    /**
     * Counts {@code mails} more against the message system's cap for {@code day}, if the day's count stays within
     * {@code limit}; false (nothing counted) when it would not. Atomic: two runs never count past the limit together.
     */
    boolean countAgainstDailyCap(String messageSystemId, LocalDate day, int mails, int limit);

    /** Records an occurrence of a recurring schedule; false when that occurrence is recorded already. */
    boolean insertOccurrence(ScheduleOccurrence occurrence);

    Optional<ScheduleOccurrence> findOccurrence(String scheduleId, Instant at);

    /** The schedule's recorded occurrences, latest first, {@code limit} at a time. */
    Page<ScheduleOccurrence> listOccurrences(String scheduleId, String cursor, int limit);
}
