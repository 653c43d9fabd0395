package dev.herald.core.testing;

import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Chunk;
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
import dev.herald.core.model.Versioned;
import dev.herald.core.port.MessageQuery;
import dev.herald.core.port.Store;
import dev.herald.core.storage.AddressCursor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/** The reference store for unit tests of the services; it passes the same contract as the real ones. */
public final class InMemoryStore implements Store {

    private final Map<String, MessageSystem> systems = new TreeMap<>();
    private final Map<String, Message> messages = new HashMap<>();
    private final TreeMap<String, Chunk> chunks = new TreeMap<>();
    private final Map<String, Task> tasks = new HashMap<>();
    private final Map<String, Run> runs = new HashMap<>();
    private final Map<String, IdempotencyRecord> idempotency = new HashMap<>();
    /** Suppression lists by message system, each by address. */
    private final Map<String, TreeMap<String, Suppression>> suppressions = new HashMap<>();
    private int suppressionLookups;
    private int rangeLookups;
    private final Map<String, AudienceList> lists = new HashMap<>();
    private final Map<String, RecurringSchedule> recurringSchedules = new HashMap<>();
    private final Map<String, ScheduleOccurrence> occurrences = new HashMap<>();
    private final Map<String, Integer> dailyCounts = new HashMap<>();
    /** Slices by message, each by index. */
    private final Map<String, TreeMap<Integer, Slice>> slices = new HashMap<>();
    /** Feedback tallies by message, each by chunk index. */
    private final Map<String, Map<Integer, FeedbackTally>> tallies = new HashMap<>();
    /** Each list's members by key. */
    private final Map<String, TreeMap<String, ListMember>> members = new HashMap<>();
    /** Writes left before a simulated crash; negative: none is coming. */
    private int writesBeforeCrash = -1;
    private volatile Consumer<Chunk> beforeChunkWrite = chunk -> { };
    private int writes;

    /** The process "dies" right after the {@code writes}-th write from now: the write is kept, then it throws. */
    public synchronized void crashAfterWrites(int writes) {
        writesBeforeCrash = writes;
    }

    /** A kill of the process, as a test simulates it. */
    public static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    /** How many writes this store took. */
    public synchronized int writes() {
        return writes;
    }

    private <T> T written(T result) {
        writes++;
        if (writesBeforeCrash > 0 && --writesBeforeCrash == 0) {
            writesBeforeCrash = -1;
            throw new SimulatedCrash();
        }
        return result;
    }

    @Override
    public synchronized boolean insertMessageSystem(MessageSystem system) {
        return systems.putIfAbsent(system.id(), system) == null;
    }

    @Override
    public synchronized Optional<MessageSystem> findMessageSystem(String id) {
        return Optional.ofNullable(systems.get(id));
    }

    @Override
    public synchronized List<MessageSystem> listMessageSystems() {
        return List.copyOf(systems.values());
    }

    @Override
    public synchronized Optional<MessageSystem> updateMessageSystem(MessageSystem system) {
        return replace(systems, system.id(), system, system::withVersion);
    }

    @Override
    public synchronized boolean deleteMessageSystem(String id, long expectedVersion) {
        MessageSystem stored = systems.get(id);
        if (stored == null || stored.version() != expectedVersion) {
            return false;
        }
        systems.remove(id);
        return true;
    }

    @Override
    public synchronized boolean hasUnfinishedMessages(String messageSystemId) {
        return messages.values().stream()
                .anyMatch(m -> m.messageSystemId().equals(messageSystemId) && !m.status().isFinal());
    }

    @Override
    public synchronized void createMessage(Message message, List<Chunk> newChunks, List<Task> newTasks) {
        for (Chunk chunk : newChunks) {
            chunks.put(chunkKey(chunk.messageId(), chunk.index()), chunk);
        }
        newTasks.forEach(task -> tasks.put(task.id(), task));
        messages.put(message.id(), message);
    }

    @Override
    public synchronized Optional<Message> findMessage(String id) {
        return Optional.ofNullable(messages.get(id));
    }

    @Override
    public synchronized Page<Message> listMessages(MessageQuery query) {
        Comparator<Message> newestFirst = Comparator.comparing(Message::createdAt).thenComparing(Message::id).reversed();
        List<Message> matching = messages.values().stream()
                .filter(m -> query.ownerId() == null || m.ownerId().equals(query.ownerId()))
                .filter(m -> query.status() == null || m.status() == query.status())
                .sorted(newestFirst)
                .toList();
        int start = 0;
        if (query.cursor() != null) {
            String afterId = new String(Base64.getUrlDecoder().decode(query.cursor()), StandardCharsets.UTF_8);
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).id().equals(afterId)) {
                    start = i + 1;
                }
            }
        }
        List<Message> page = matching.subList(start, Math.min(matching.size(), start + query.limit()));
        String next = start + query.limit() < matching.size()
                ? Base64.getUrlEncoder().encodeToString(page.get(page.size() - 1).id().getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page<>(List.copyOf(page), next);
    }

    @Override
    public synchronized Optional<Message> updateMessage(Message message) {
        return written(replace(messages, message.id(), message, message::withVersion));
    }

    @Override
    public synchronized List<Chunk> listChunks(String messageId, int fromIndex, int limit) {
        return chunks.subMap(chunkKey(messageId, fromIndex), true, chunkKey(messageId, 999_999), true).values().stream()
                .limit(limit).toList();
    }

    @Override
    public synchronized Optional<Chunk> findChunk(String messageId, int index) {
        return Optional.ofNullable(chunks.get(chunkKey(messageId, index)));
    }

    /** Runs before each chunk write, outside the store's lock: a test holds a write there, the rest of the store open. */
    public void beforeEachChunkWrite(Consumer<Chunk> hook) {
        beforeChunkWrite = hook;
    }

    @Override
    public Optional<Chunk> updateChunk(Chunk chunk) {
        beforeChunkWrite.accept(chunk);
        synchronized (this) {
            return written(replace(chunks, chunkKey(chunk.messageId(), chunk.index()), chunk, chunk::withVersion));
        }
    }

    @Override
    public synchronized void putSlices(List<Slice> newSlices) {
        newSlices.forEach(slice -> slices.computeIfAbsent(slice.messageId(), id -> new TreeMap<>()).put(slice.index(), slice));
        written(null);
    }

    @Override
    public synchronized List<Slice> listSlices(String messageId) {
        return List.copyOf(slices.getOrDefault(messageId, new TreeMap<>()).values());
    }

    @Override
    public synchronized Optional<Slice> updateSlice(Slice slice) {
        TreeMap<Integer, Slice> ofMessage = slices.get(slice.messageId());
        Slice stored = ofMessage == null ? null : ofMessage.get(slice.index());
        if (stored == null || stored.version() != slice.version()) {
            return written(Optional.empty());
        }
        Slice updated = slice.withVersion(slice.version() + 1);
        ofMessage.put(slice.index(), updated);
        return written(Optional.of(updated));
    }

    @Override
    public synchronized void putFeedbackTally(String messageId, int chunkIndex, FeedbackTally tally) {
        tallies.computeIfAbsent(messageId, id -> new HashMap<>())
                .merge(chunkIndex, tally, (held, given) -> given.chunkVersion() > held.chunkVersion() ? given : held);
        written(null);
    }

    @Override
    public synchronized Counts feedbackCounts(String messageId) {
        return tallies.getOrDefault(messageId, Map.of()).values().stream().map(FeedbackTally::counts)
                .reduce(Counts.ZERO, Counts::plus);
    }

    @Override
    public synchronized void putChunks(List<Chunk> newChunks) {
        newChunks.forEach(chunk -> chunks.put(chunkKey(chunk.messageId(), chunk.index()), chunk));
        written(null);
    }

    @Override
    public synchronized Optional<Task> findTask(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public synchronized List<Task> listTasks(String messageId) {
        return tasks.values().stream().filter(t -> t.messageId().equals(messageId))
                .sorted(Comparator.comparing(Task::createdAt).thenComparing(Task::id)).toList();
    }

    @Override
    public synchronized List<Task> listTasksByState(Set<TaskState> states, Instant dueBy) {
        return tasks.values().stream().filter(t -> states.contains(t.state()) && !t.fireAt().isAfter(dueBy))
                .sorted(Comparator.comparing(Task::fireAt).thenComparing(Task::id)).toList();
    }

    @Override
    public synchronized Optional<Task> updateTask(Task task) {
        return written(replace(tasks, task.id(), task, task::withVersion));
    }

    @Override
    public synchronized void insertRun(Run run) {
        runs.put(run.id(), run);
        written(run);
    }

    @Override
    public synchronized Optional<Run> updateRun(Run run) {
        return written(replace(runs, run.id(), run, run::withVersion));
    }

    @Override
    public synchronized List<Run> listRuns(String messageId) {
        return runs.values().stream().filter(r -> r.messageId().equals(messageId))
                .sorted(Comparator.comparing(Run::startedAt).thenComparing(Run::id)).toList();
    }

    @Override
    public synchronized boolean insertIdempotencyRecord(IdempotencyRecord record) {
        return idempotency.putIfAbsent(record.callerId() + "\n" + record.key(), record) == null;
    }

    @Override
    public synchronized Optional<IdempotencyRecord> findIdempotencyRecord(String callerId, String key) {
        return Optional.ofNullable(idempotency.get(callerId + "\n" + key));
    }

    @Override
    public synchronized int addSuppressions(List<Suppression> entries) {
        int added = 0;
        for (Suppression entry : entries) {
            if (suppressions.computeIfAbsent(entry.messageSystemId(), id -> new TreeMap<>())
                    .putIfAbsent(entry.address(), entry) == null) {
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized Map<String, Suppression> findSuppressions(String messageSystemId, Collection<String> addresses) {
        suppressionLookups++;
        Map<String, Suppression> list = suppressions.getOrDefault(messageSystemId, new TreeMap<>());
        Map<String, Suppression> found = new HashMap<>();
        for (String address : addresses) {
            Suppression entry = list.get(address);
            if (entry != null) {
                found.put(address, entry);
            }
        }
        return found;
    }

    @Override
    public synchronized Map<String, Suppression> findSuppressionsBetween(String messageSystemId, String fromKey, String toKey) {
        suppressionLookups++;
        rangeLookups++;
        return Map.copyOf(suppressions.getOrDefault(messageSystemId, new TreeMap<>()).subMap(fromKey, true, toKey, true));
    }

    /** How many of the lookups read a range of addresses. */
    public synchronized int rangeLookups() {
        return rangeLookups;
    }

    /** How many times a suppression list was looked up. */
    public synchronized int suppressionLookups() {
        return suppressionLookups;
    }

    @Override
    public synchronized Page<Suppression> listSuppressions(String messageSystemId, String cursor, int limit) {
        TreeMap<String, Suppression> list = suppressions.getOrDefault(messageSystemId, new TreeMap<>());
        List<Suppression> rest = List.copyOf((cursor == null ? list : list.tailMap(AddressCursor.decode(cursor), false)).values());
        return Page.ofRowsBeyond(rest, limit, last -> AddressCursor.after(last.address()));
    }

    @Override
    public synchronized boolean removeSuppression(String messageSystemId, String address) {
        TreeMap<String, Suppression> list = suppressions.get(messageSystemId);
        return list != null && list.remove(address) != null;
    }

    @Override
    public synchronized boolean insertList(AudienceList list) {
        if (lists.putIfAbsent(list.id(), list.withMemberCount(0)) != null) {
            return false;
        }
        members.put(list.id(), new TreeMap<>());
        return true;
    }

    @Override
    public synchronized Optional<AudienceList> findList(String id) {
        return Optional.ofNullable(lists.get(id)).map(list -> list.withMemberCount(members.get(id).size()));
    }

    @Override
    public synchronized Page<AudienceList> listLists(String ownerId, String cursor, int limit) {
        return newestFirst(lists.values().stream().filter(l -> ownerId == null || l.ownerId().equals(ownerId))
                .map(l -> l.withMemberCount(members.get(l.id()).size())).toList(),
                AudienceList::createdAt, AudienceList::id, cursor, limit);
    }

    /** A page of the items, newest first, after the one whose id the cursor holds. */
    private static <T> Page<T> newestFirst(List<T> items, Function<T, Instant> createdAt, Function<T, String> id,
                                           String cursor, int limit) {
        List<T> matching = items.stream().sorted(Comparator.comparing(createdAt).thenComparing(id).reversed()).toList();
        int start = 0;
        if (cursor != null) {
            String afterId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            for (int i = 0; i < matching.size(); i++) {
                if (id.apply(matching.get(i)).equals(afterId)) {
                    start = i + 1;
                }
            }
        }
        return Page.ofRowsBeyond(matching.subList(start, matching.size()), limit,
                last -> Base64.getUrlEncoder().encodeToString(id.apply(last).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized Optional<AudienceList> updateList(AudienceList list) {
        return replace(lists, list.id(), list, list::withVersion);
    }

    @Override
    public synchronized int putMembers(String listId, List<ListMember> newMembers) {
        TreeMap<String, ListMember> list = members.get(listId);
        int added = 0;
        for (ListMember member : newMembers) {
            if (list.put(member.key(), member) == null) {
                added++;
            }
        }
        return added;
    }

    @Override
    public synchronized int removeMembers(String listId, Collection<String> keys) {
        TreeMap<String, ListMember> list = members.get(listId);
        int removed = 0;
        for (String key : keys) {
            if (list.remove(key) != null) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public synchronized Page<ListMember> listMembers(String listId, String cursor, int limit) {
        TreeMap<String, ListMember> list = members.getOrDefault(listId, new TreeMap<>());
        List<ListMember> rest = (cursor == null ? list : list.tailMap(AddressCursor.decode(cursor), false)).values().stream()
                .limit(limit + 1L).toList();
        return Page.ofRowsBeyond(rest, limit, last -> AddressCursor.after(last.key()));
    }

    @Override
    public synchronized int removeSomeMembers(String listId, int atMost) {
        TreeMap<String, ListMember> list = members.getOrDefault(listId, new TreeMap<>());
        int removed = 0;
        while (removed < atMost && !list.isEmpty()) {
            list.pollFirstEntry();
            removed++;
        }
        return removed;
    }

    @Override
    public synchronized boolean deleteList(String id, long expectedVersion) {
        AudienceList stored = lists.get(id);
        if (stored == null || stored.version() != expectedVersion) {
            return false;
        }
        lists.remove(id);
        members.remove(id);
        return true;
    }

    @Override
    public synchronized boolean insertRecurringSchedule(RecurringSchedule schedule) {
        return recurringSchedules.putIfAbsent(schedule.id(), schedule) == null;
    }

    @Override
    public synchronized Optional<RecurringSchedule> findRecurringSchedule(String id) {
        return Optional.ofNullable(recurringSchedules.get(id));
    }

    @Override
    public synchronized Page<RecurringSchedule> listRecurringSchedules(String ownerId, String cursor, int limit) {
        return newestFirst(recurringSchedules.values().stream().filter(r -> ownerId == null || r.ownerId().equals(ownerId)).toList(),
                RecurringSchedule::createdAt, RecurringSchedule::id, cursor, limit);
    }

    @Override
    public synchronized Optional<RecurringSchedule> updateRecurringSchedule(RecurringSchedule schedule) {
        return replace(recurringSchedules, schedule.id(), schedule, schedule::withVersion);
    }

    @Override
    public synchronized boolean deleteRecurringSchedule(String id, long expectedVersion) {
        RecurringSchedule stored = recurringSchedules.get(id);
        if (stored == null || stored.version() != expectedVersion) {
            return false;
        }
        recurringSchedules.remove(id);
        occurrences.values().removeIf(o -> o.scheduleId().equals(id));
        return true;
    }

    @Override
    public synchronized boolean countAgainstDailyCap(String messageSystemId, LocalDate day, int mails, int limit) {
        String key = messageSystemId + "@" + day;
        int counted = dailyCounts.getOrDefault(key, 0);
        if (counted + mails > limit) {
            return false;
        }
        dailyCounts.put(key, counted + mails);
        return true;
    }

    @Override
    public synchronized boolean insertOccurrence(ScheduleOccurrence occurrence) {
        return occurrences.putIfAbsent(occurrenceKey(occurrence.scheduleId(), occurrence.at()), occurrence) == null;
    }

    @Override
    public synchronized Optional<ScheduleOccurrence> findOccurrence(String scheduleId, Instant at) {
        return Optional.ofNullable(occurrences.get(occurrenceKey(scheduleId, at)));
    }

    @Override
    public synchronized Page<ScheduleOccurrence> listOccurrences(String scheduleId, String cursor, int limit) {
        return newestFirst(occurrences.values().stream().filter(o -> o.scheduleId().equals(scheduleId)).toList(),
                ScheduleOccurrence::at, o -> o.at().toString(), cursor, limit);
    }

    private static String occurrenceKey(String scheduleId, Instant at) {
        return scheduleId + "@" + at;
    }

    private static <T extends Versioned> Optional<T> replace(Map<String, T> map, String key, T value,
                                                             LongFunction<T> withVersion) {
        T stored = map.get(key);
        if (stored == null || stored.version() != value.version()) {
            return Optional.empty();
        }
        T updated = withVersion.apply(stored.version() + 1);
        map.put(key, updated);
        return Optional.of(updated);
    }

    private static String chunkKey(String messageId, int index) {
        return messageId + String.format("#%06d", index);
    }
}
