package dev.herald.aws;

import dev.herald.core.error.StoreException;
import dev.herald.core.error.ValidationException;
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
import dev.herald.core.storage.Documents;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The store on one DynamoDB table. Every item is a JSON document ({@code doc}; a chunk's gzip-compressed,
 * {@code docz}) with the keys that reach it; every
 * change is one conditional write on the item's version. No transactions: creating a message writes
 * its chunks, then its task, then the message itself, so that a half-done creation stays invisible.
 *
 * <pre>
 * message system  PK SYS#id              SK META          GSI1 SYS / id
 * message         PK MSG#id              SK META          GSI1 OWNER#owner / time#id, GSI2 MSGS / time#id,
 *                                                         GSI3 ACTIVE#system / id while scheduled or sending
 * chunk           PK MSG#id              SK CHUNK#000042
 * feedback tally  PK MSG#id              SK TALLY#000042  chunkVersion: only a newer one replaces it
 * slice           PK MSG#id              SK SLICE#0003
 * run             PK MSG#id              SK RUN#time#id
 * task            PK TASK#id             SK META          GSI1 MSGTASKS#message / time#id, GSI2 STATE#state / time#id
 * idempotency key PK IDEM#caller#key     SK META          expiresAt: the table's TTL attribute
 * suppression     PK SUP#system          SK address
 * audience list   PK LIST#id             SK META          GSI1 LISTOWNER#owner / time#id, GSI2 LISTS / time#id;
 *                                                         {@code members}: the count, changed by ADD
 * list member     PK LIST#id             SK M#key
 * recurring sched PK RSCHED#id           SK META          GSI1 RSCHEDOWNER#owner / time#id, GSI2 RSCHEDS / time#id
 * its occurrence  PK RSCHED#id           SK OCC#time
 * daily cap count PK CAP#system          SK day (ISO)     mails, changed by a conditional ADD; expiresAt: TTL
 * </pre>
 * A list's count follows its members write by write; with no transactions it is off by the members of a
 * page whose writes went through while its count did not (a process that died in between), and by a
 * member that two concurrent requests both added as new.
 */
public final class DynamoDbStore implements Store {

    public static final String TTL_ATTRIBUTE = "expiresAt";
    public static final List<String> INDEXES = List.of("GSI1", "GSI2", "GSI3");
    private static final String META = "META";
    private static final String OCCURRENCE_PREFIX = "OCC#";
    private static final int BATCH_WRITE_LIMIT = 25;
    private static final int BATCH_GET_LIMIT = 100;
    private static final int BATCH_ATTEMPTS = 8;
    /** The highest index a chunk's sort key holds. */
    private static final int LAST_CHUNK = 999_999;
    private static final String COMPRESSED_DOCUMENT = "docz";
    private static final String MEMBER_COUNT = "members";
    private static final String CHUNK_VERSION = "chunkVersion";
    private static final String MEMBER_PREFIX = "M#";
    /** Sorts after every member's sort key, and is none. */
    private static final String MEMBERS_END = "M$";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Documents documents = new Documents();

    public DynamoDbStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    // --- message systems

    @Override
    public boolean insertMessageSystem(MessageSystem system) {
        return insert(systemItem(system));
    }

    @Override
    public Optional<MessageSystem> findMessageSystem(String id) {
        return get("SYS#" + id, META, MessageSystem.class);
    }

    @Override
    public List<MessageSystem> listMessageSystems() {
        return queryAll(index("GSI1", "SYS", true), MessageSystem.class);
    }

    @Override
    public Optional<MessageSystem> updateMessageSystem(MessageSystem system) {
        return replace(system, system.withVersion(system.version() + 1), this::systemItem);
    }

    @Override
    public boolean deleteMessageSystem(String id, long expectedVersion) {
        return delete("SYS#" + id, expectedVersion);
    }

    @Override
    public boolean hasUnfinishedMessages(String messageSystemId) {
        return query(index("GSI3", "ACTIVE#" + messageSystemId, true).limit(1).build()).count() > 0;
    }

    private Map<String, AttributeValue> systemItem(MessageSystem system) {
        Map<String, AttributeValue> item = item("SYS#" + system.id(), META, system);
        item.put("GSI1PK", text("SYS"));
        item.put("GSI1SK", text(system.id()));
        return item;
    }

    // --- messages and chunks

    @Override
    public void createMessage(Message message, List<Chunk> chunks, List<Task> tasks) {
        putChunks(chunks);
        writeAll(tasks.stream().map(t -> WriteRequest.builder().putRequest(PutRequest.builder().item(taskItem(t)).build()).build())
                .toList());
        put(messageItem(message));
    }

    /** Writes a batch, retrying what DynamoDB left unprocessed, with growing pauses. */
    private void batchWrite(List<WriteRequest> writes) {
        Map<String, List<WriteRequest>> pending = Map.of(table, writes);
        try {
            for (int attempt = 0; attempt < BATCH_ATTEMPTS && !pending.isEmpty(); attempt++) {
                pauseBeforeAttempt(attempt);
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        } catch (SdkException e) {
            throw failure("BatchWriteItem", e);
        }
        if (!pending.isEmpty()) {
            throw new StoreException("DynamoDB left " + pending.get(table).size() + " writes unprocessed", null);
        }
    }

    /** Reads a batch of keys, retrying what DynamoDB left unprocessed, with growing pauses. */
    private List<Map<String, AttributeValue>> batchGet(List<Map<String, AttributeValue>> keys, boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(consistent).build());
        try {
            for (int attempt = 0; attempt < BATCH_ATTEMPTS && !pending.isEmpty(); attempt++) {
                pauseBeforeAttempt(attempt);
                Map<String, KeysAndAttributes> request = pending;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(request));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        } catch (SdkException e) {
            throw failure("BatchGetItem", e);
        }
        if (!pending.isEmpty()) {
            throw new StoreException("DynamoDB left " + pending.get(table).keys().size() + " reads unprocessed", null);
        }
        return items;
    }

    private static void pauseBeforeAttempt(int attempt) {
        if (attempt == 0) {
            return;
        }
        try {
            Thread.sleep(Math.min(2_000, 50L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while retrying a batch", e);
        }
    }

    @Override
    public Optional<Message> findMessage(String id) {
        return get("MSG#" + id, META, Message.class);
    }

    @Override
    public Page<Message> listMessages(MessageQuery query) {
        String indexName = query.ownerId() == null ? "GSI2" : "GSI1";
        String partition = query.ownerId() == null ? "MSGS" : "OWNER#" + query.ownerId();
        QueryRequest.Builder request = index(indexName, partition, false);
        if (query.status() != null) {
            request.filterExpression("#status = :status")
                    .expressionAttributeNames(Map.of("#pk", indexName + "PK", "#status", "status"))
                    .expressionAttributeValues(Map.of(":pk", text(partition), ":status", text(query.status().name())));
        }
        return newestFirst(request, indexName, partition, query.cursor(), query.limit(), item -> document(item, Message.class),
                last -> "MSG#" + last.id(), Message::createdAt, Message::id);
    }

    /**
     * A page of an index query newest first, one row beyond the limit (see {@link Page#ofRowsBeyond}); the cursor
     * is the last row's table and index keys.
     */
    private <T> Page<T> newestFirst(QueryRequest.Builder request, String indexName, String partition, String cursor, int limit,
                                    Function<Map<String, AttributeValue>, T> read, Function<T, String> partitionOf,
                                    Function<T, Instant> createdAt, Function<T, String> id) {
        Map<String, AttributeValue> startKey = cursor == null ? null : decodeCursor(cursor);
        return Page.ofRowsBeyond(queryItems(request, startKey, read, limit + 1), limit, last -> {
            Map<String, AttributeValue> lastKey = key(partitionOf.apply(last), META);
            lastKey.put(indexName + "PK", text(partition));
            lastKey.put(indexName + "SK", text(sortKey(createdAt.apply(last), id.apply(last))));
            return encodeCursor(lastKey);
        });
    }

    @Override
    public Optional<Message> updateMessage(Message message) {
        return replace(message, message.withVersion(message.version() + 1), this::messageItem);
    }

    private Map<String, AttributeValue> messageItem(Message message) {
        Map<String, AttributeValue> item = item("MSG#" + message.id(), META, message);
        String sortKey = sortKey(message.createdAt(), message.id());
        item.put("status", text(message.status().name()));
        item.put("GSI1PK", text("OWNER#" + message.ownerId()));
        item.put("GSI1SK", text(sortKey));
        item.put("GSI2PK", text("MSGS"));
        item.put("GSI2SK", text(sortKey));
        if (!message.status().isFinal()) {
            item.put("GSI3PK", text("ACTIVE#" + message.messageSystemId()));
            item.put("GSI3SK", text(message.id()));
        }
        return item;
    }

    @Override
    public List<Chunk> listChunks(String messageId, int fromIndex, int limit) {
        QueryRequest.Builder request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :last")
                .expressionAttributeValues(Map.of(":pk", text("MSG#" + messageId), ":from", text(chunkSortKey(fromIndex)),
                        ":last", text(chunkSortKey(LAST_CHUNK))))
                .limit(limit);
        List<Chunk> chunks = queryItems(request, null, Chunk.class, limit);
        return chunks.size() > limit ? chunks.subList(0, limit) : chunks;
    }

    @Override
    public Optional<Chunk> findChunk(String messageId, int index) {
        return get("MSG#" + messageId, chunkSortKey(index), Chunk.class);
    }

    @Override
    public Optional<Chunk> updateChunk(Chunk chunk) {
        return replace(chunk, chunk.withVersion(chunk.version() + 1), this::chunkItem);
    }

    /** A chunk's recipients compressed: they make up most of what Herald writes, and DynamoDB bills by the kilobyte. */
    private Map<String, AttributeValue> chunkItem(Chunk chunk) {
        Map<String, AttributeValue> item = key("MSG#" + chunk.messageId(), chunkSortKey(chunk.index()));
        item.put("version", number(chunk.version()));
        item.put(COMPRESSED_DOCUMENT, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(documents.writeCompressed(chunk))));
        return item;
    }

    private static String chunkSortKey(int index) {
        return String.format("CHUNK#%06d", index);
    }

    @Override
    public void putSlices(List<Slice> slices) {
        writeAll(slices.stream().map(slice -> WriteRequest.builder().putRequest(PutRequest.builder().item(sliceItem(slice))
                .build()).build()).toList());
    }

    @Override
    public List<Slice> listSlices(String messageId) {
        return queryAll(prefix("MSG#" + messageId, "SLICE#"), Slice.class);
    }

    @Override
    public Optional<Slice> updateSlice(Slice slice) {
        return replace(slice, slice.withVersion(slice.version() + 1), this::sliceItem);
    }

    private Map<String, AttributeValue> sliceItem(Slice slice) {
        return item("MSG#" + slice.messageId(), String.format("SLICE#%04d", slice.index()), slice);
    }

    @Override
    public void putFeedbackTally(String messageId, int chunkIndex, FeedbackTally tally) {
        Map<String, AttributeValue> item = key("MSG#" + messageId, String.format("TALLY#%06d", chunkIndex));
        item.put(CHUNK_VERSION, number(tally.chunkVersion()));
        item.put("doc", text(documents.write(tally)));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(PK) OR #chunkVersion < :v")
                    .expressionAttributeNames(Map.of("#chunkVersion", CHUNK_VERSION))
                    .expressionAttributeValues(Map.of(":v", number(tally.chunkVersion()))));
        } catch (ConditionalCheckFailedException asNewOrNewerKept) {
            // The tally kept already counts this version of the chunk, or a later one.
        } catch (SdkException e) {
            throw failure("PutItem", e);
        }
    }

    @Override
    public Counts feedbackCounts(String messageId) {
        return queryAll(prefix("MSG#" + messageId, "TALLY#"), FeedbackTally.class).stream().map(FeedbackTally::counts)
                .reduce(Counts.ZERO, Counts::plus);
    }

    @Override
    public void putChunks(List<Chunk> chunks) {
        writeAll(chunks.stream().map(c -> WriteRequest.builder().putRequest(PutRequest.builder().item(chunkItem(c)).build()).build())
                .toList());
    }

    /** Writes in batches of what one BatchWriteItem takes. */
    private void writeAll(List<WriteRequest> writes) {
        for (int start = 0; start < writes.size(); start += BATCH_WRITE_LIMIT) {
            batchWrite(writes.subList(start, Math.min(writes.size(), start + BATCH_WRITE_LIMIT)));
        }
    }

    // --- tasks and runs

    @Override
    public Optional<Task> findTask(String id) {
        return get("TASK#" + id, META, Task.class);
    }

    @Override
    public List<Task> listTasks(String messageId) {
        return queryAll(index("GSI1", "MSGTASKS#" + messageId, true), Task.class);
    }

    @Override
    public List<Task> listTasksByState(Set<TaskState> states, Instant dueBy) {
        List<Task> tasks = new ArrayList<>();
        for (TaskState state : states) {
            // Sort keys are <fire instant>#<id>: every key of an instant up to dueBy sorts below this bound.
            tasks.addAll(queryAll(index("GSI2", "STATE#" + state.name(), true)
                    .keyConditionExpression("#pk = :pk AND #sk < :bound")
                    .expressionAttributeNames(Map.of("#pk", "GSI2PK", "#sk", "GSI2SK"))
                    .expressionAttributeValues(Map.of(":pk", text("STATE#" + state.name()),
                            ":bound", text(sortKey(dueBy.plus(1, ChronoUnit.MICROS), "")))), Task.class));
        }
        tasks.sort(Comparator.comparing(Task::fireAt).thenComparing(Task::id));
        return tasks;
    }

    @Override
    public Optional<Task> updateTask(Task task) {
        return replace(task, task.withVersion(task.version() + 1), this::taskItem);
    }

    private Map<String, AttributeValue> taskItem(Task task) {
        Map<String, AttributeValue> item = item("TASK#" + task.id(), META, task);
        item.put("GSI1PK", text("MSGTASKS#" + task.messageId()));
        item.put("GSI1SK", text(sortKey(task.createdAt(), task.id())));
        item.put("GSI2PK", text("STATE#" + task.state().name()));
        item.put("GSI2SK", text(sortKey(task.fireAt(), task.id())));
        return item;
    }

    @Override
    public void insertRun(Run run) {
        put(runItem(run));
    }

    @Override
    public Optional<Run> updateRun(Run run) {
        return replace(run, run.withVersion(run.version() + 1), this::runItem);
    }

    @Override
    public List<Run> listRuns(String messageId) {
        return queryAll(prefix("MSG#" + messageId, "RUN#"), Run.class);
    }

    private Map<String, AttributeValue> runItem(Run run) {
        return item("MSG#" + run.messageId(), "RUN#" + sortKey(run.startedAt(), run.id()), run);
    }

    // --- idempotency keys: an expired key is as good as absent, whether or not TTL removed it yet

    @Override
    public boolean insertIdempotencyRecord(IdempotencyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>(key("IDEM#" + record.callerId() + "#" + record.key(), META));
        item.put("doc", text(documents.write(record)));
        item.put(TTL_ATTRIBUTE, number(record.expiresAt().getEpochSecond()));
        try {
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(PK) OR #expires < :now")
                    .expressionAttributeNames(Map.of("#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":now", number(clock.instant().getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw failure("PutItem", e);
        }
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyRecord(String callerId, String key) {
        return get("IDEM#" + callerId + "#" + key, META, IdempotencyRecord.class)
                .filter(r -> !r.expiresAt().isBefore(clock.instant()));
    }

    // --- suppression lists

    @Override
    public int addSuppressions(List<Suppression> entries) {
        Map<String, Suppression> unique = new LinkedHashMap<>();
        entries.forEach(entry -> unique.putIfAbsent(suppressionPartition(entry.messageSystemId()) + "\n" + entry.address(), entry));
        List<Suppression> all = List.copyOf(unique.values());
        int added = 0;
        for (int start = 0; start < all.size(); start += BATCH_GET_LIMIT) {
            List<Suppression> batch = all.subList(start, Math.min(all.size(), start + BATCH_GET_LIMIT));
            Set<String> listed = new HashSet<>();
            for (Map<String, AttributeValue> item : batchGet(batch.stream()
                    .map(e -> key(suppressionPartition(e.messageSystemId()), e.address())).toList(), true)) {
                listed.add(item.get("PK").s() + "\n" + item.get("SK").s());
            }
            // An address listed between the read and the write gets an entry of the same meaning: harmless.
            List<WriteRequest> writes = batch.stream()
                    .filter(e -> !listed.contains(suppressionPartition(e.messageSystemId()) + "\n" + e.address()))
                    .map(e -> WriteRequest.builder().putRequest(PutRequest.builder().item(suppressionItem(e)).build()).build())
                    .toList();
            for (int write = 0; write < writes.size(); write += BATCH_WRITE_LIMIT) {
                batchWrite(writes.subList(write, Math.min(writes.size(), write + BATCH_WRITE_LIMIT)));
            }
            added += writes.size();
        }
        return added;
    }

    @Override
    public Map<String, Suppression> findSuppressions(String messageSystemId, Collection<String> addresses) {
        List<String> unique = List.copyOf(new LinkedHashSet<>(addresses));
        Map<String, Suppression> found = new HashMap<>();
        for (int start = 0; start < unique.size(); start += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = unique.subList(start, Math.min(unique.size(), start + BATCH_GET_LIMIT))
                    .stream().map(address -> key(suppressionPartition(messageSystemId), address)).toList();
            for (Map<String, AttributeValue> item : batchGet(keys, false)) {
                Suppression entry = document(item, Suppression.class);
                found.put(entry.address(), entry);
            }
        }
        return found;
    }

    @Override
    public Map<String, Suppression> findSuppressionsBetween(String messageSystemId, String fromKey, String toKey) {
        Map<String, Suppression> found = new HashMap<>();
        queryAll(QueryRequest.builder().tableName(table)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", text(suppressionPartition(messageSystemId)), ":from", text(fromKey),
                        ":to", text(toKey))), Suppression.class).forEach(entry -> found.put(entry.address(), entry));
        return found;
    }

    @Override
    public Page<Suppression> listSuppressions(String messageSystemId, String cursor, int limit) {
        String after = cursor == null ? "" : AddressCursor.decode(cursor);
        QueryRequest.Builder request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND SK > :after")
                .expressionAttributeValues(Map.of(":pk", text(suppressionPartition(messageSystemId)), ":after", text(after)))
                .limit(limit + 1);
        return Page.ofRowsBeyond(queryItems(request, null, Suppression.class, limit + 1), limit,
                last -> AddressCursor.after(last.address()));
    }

    @Override
    public boolean removeSuppression(String messageSystemId, String address) {
        try {
            return dynamo.deleteItem(r -> r.tableName(table).key(key(suppressionPartition(messageSystemId), address))
                    .returnValues(ReturnValue.ALL_OLD)).hasAttributes();
        } catch (SdkException e) {
            throw failure("DeleteItem", e);
        }
    }

    private static String suppressionPartition(String messageSystemId) {
        return "SUP#" + messageSystemId;
    }

    private Map<String, AttributeValue> suppressionItem(Suppression entry) {
        Map<String, AttributeValue> item = key(suppressionPartition(entry.messageSystemId()), entry.address());
        item.put("doc", text(documents.write(entry)));
        return item;
    }

    // --- audience lists

    @Override
    public boolean insertList(AudienceList list) {
        Map<String, AttributeValue> item = listItem(list);
        item.put(MEMBER_COUNT, number(0));
        return insert(item);
    }

    @Override
    public Optional<AudienceList> findList(String id) {
        return get(listPartition(id), META, this::list);
    }

    @Override
    public Page<AudienceList> listLists(String ownerId, String cursor, int limit) {
        String indexName = ownerId == null ? "GSI2" : "GSI1";
        String partition = ownerId == null ? "LISTS" : "LISTOWNER#" + ownerId;
        return newestFirst(index(indexName, partition, false), indexName, partition, cursor, limit, this::list,
                last -> listPartition(last.id()), AudienceList::createdAt, AudienceList::id);
    }

    @Override
    public Optional<AudienceList> updateList(AudienceList list) {
        // The count is not the document's: an update writes the document's attributes and leaves the count alone.
        AudienceList next = list.withVersion(list.version() + 1);
        Map<String, AttributeValue> item = listItem(next);
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(listPartition(list.id()), META))
                    .updateExpression("SET doc = :doc, version = :next")
                    .conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":doc", item.get("doc"), ":next", number(next.version()),
                            ":v", number(list.version()))));
            return Optional.of(next);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("UpdateItem", e);
        }
    }

    @Override
    public int putMembers(String listId, List<ListMember> members) {
        int added = 0;
        for (int start = 0; start < members.size(); start += BATCH_GET_LIMIT) {
            List<ListMember> batch = members.subList(start, Math.min(members.size(), start + BATCH_GET_LIMIT));
            int present = existing(listId, batch.stream().map(ListMember::key).toList()).size();
            writeAll(batch.stream().map(m -> WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(memberItem(listId, m)).build()).build()).toList());
            added += batch.size() - present;
        }
        changeCount(listId, added);
        return added;
    }

    @Override
    public int removeMembers(String listId, Collection<String> keys) {
        List<String> all = List.copyOf(new LinkedHashSet<>(keys));
        int removed = 0;
        for (int start = 0; start < all.size(); start += BATCH_GET_LIMIT) {
            List<String> present = existing(listId, all.subList(start, Math.min(all.size(), start + BATCH_GET_LIMIT)));
            deleteMembers(listId, present);
            removed += present.size();
        }
        changeCount(listId, -removed);
        return removed;
    }

    @Override
    public Page<ListMember> listMembers(String listId, String cursor, int limit) {
        // Keys hold no control character, nor a space but in quotes: "key + space" is the least key after it.
        String from = MEMBER_PREFIX + (cursor == null ? "" : AddressCursor.decode(cursor) + " ");
        QueryRequest.Builder request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND SK BETWEEN :from AND :last")
                .expressionAttributeValues(Map.of(":pk", text(listPartition(listId)), ":from", text(from),
                        ":last", text(MEMBERS_END)))
                .limit(limit + 1);
        List<ListMember> rows = queryItems(request, null, ListMember.class, limit + 1);
        return Page.ofRowsBeyond(rows.size() > limit + 1 ? rows.subList(0, limit + 1) : rows, limit,
                last -> AddressCursor.after(last.key()));
    }

    @Override
    public int removeSomeMembers(String listId, int atMost) {
        QueryResponse some = query(prefix(listPartition(listId), MEMBER_PREFIX).projectionExpression("SK").limit(atMost).build());
        List<String> keys = some.items().stream().map(item -> item.get("SK").s().substring(MEMBER_PREFIX.length())).toList();
        deleteMembers(listId, keys);
        changeCount(listId, -keys.size());
        return keys.size();
    }

    @Override
    public boolean deleteList(String id, long expectedVersion) {
        return delete(listPartition(id), expectedVersion);
    }

    // --- recurring schedules

    @Override
    public boolean insertRecurringSchedule(RecurringSchedule schedule) {
        return insert(recurringScheduleItem(schedule));
    }

    @Override
    public Optional<RecurringSchedule> findRecurringSchedule(String id) {
        return get(recurringSchedulePartition(id), META, item -> document(item, RecurringSchedule.class));
    }

    @Override
    public Page<RecurringSchedule> listRecurringSchedules(String ownerId, String cursor, int limit) {
        String indexName = ownerId == null ? "GSI2" : "GSI1";
        String partition = ownerId == null ? "RSCHEDS" : "RSCHEDOWNER#" + ownerId;
        return newestFirst(index(indexName, partition, false), indexName, partition, cursor, limit,
                item -> document(item, RecurringSchedule.class), last -> recurringSchedulePartition(last.id()),
                RecurringSchedule::createdAt, RecurringSchedule::id);
    }

    @Override
    public Optional<RecurringSchedule> updateRecurringSchedule(RecurringSchedule schedule) {
        return replace(schedule, schedule.withVersion(schedule.version() + 1), this::recurringScheduleItem);
    }

    @Override
    public boolean deleteRecurringSchedule(String id, long expectedVersion) {
        if (!delete(recurringSchedulePartition(id), expectedVersion)) {
            return false;
        }
        // The schedule is gone, so no occurrence is added meanwhile; its history goes after it.
        List<Map<String, AttributeValue>> keys = queryItems(prefix(recurringSchedulePartition(id), OCCURRENCE_PREFIX)
                .projectionExpression("PK, SK"), null, item -> item, Integer.MAX_VALUE);
        writeAll(keys.stream().map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build())
                .build()).toList());
        return true;
    }

    /** One item a system and day; it expires a week after its day. */
    @Override
    public boolean countAgainstDailyCap(String messageSystemId, LocalDate day, int mails, int limit) {
        if (mails > limit) {
            return false;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key("CAP#" + messageSystemId, day.toString()))
                    .updateExpression("ADD mails :n SET #expires = :expires")
                    .conditionExpression("attribute_not_exists(mails) OR mails <= :room")
                    .expressionAttributeNames(Map.of("#expires", TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":n", number(mails), ":room", number(limit - mails),
                            ":expires", number(day.plusDays(8).toEpochDay() * 86_400))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw failure("UpdateItem", e);
        }
    }

    @Override
    public boolean insertOccurrence(ScheduleOccurrence occurrence) {
        Map<String, AttributeValue> item = key(recurringSchedulePartition(occurrence.scheduleId()), occurrenceSortKey(occurrence.at()));
        item.put("doc", text(documents.write(occurrence)));
        return insert(item);
    }

    @Override
    public Optional<ScheduleOccurrence> findOccurrence(String scheduleId, Instant at) {
        return get(recurringSchedulePartition(scheduleId), occurrenceSortKey(at), ScheduleOccurrence.class);
    }

    /** Latest first, from the schedule's own partition; the cursor is the last occurrence's key. */
    @Override
    public Page<ScheduleOccurrence> listOccurrences(String scheduleId, String cursor, int limit) {
        String partition = recurringSchedulePartition(scheduleId);
        Map<String, AttributeValue> startKey = cursor == null ? null : decodeCursor(cursor);
        return Page.ofRowsBeyond(queryItems(prefix(partition, OCCURRENCE_PREFIX).scanIndexForward(false), startKey,
                ScheduleOccurrence.class, limit + 1), limit, last -> encodeCursor(key(partition, occurrenceSortKey(last.at()))));
    }

    private static String occurrenceSortKey(Instant at) {
        return OCCURRENCE_PREFIX + String.format("%020d", ChronoUnit.MICROS.between(Instant.EPOCH, at));
    }

    private Map<String, AttributeValue> recurringScheduleItem(RecurringSchedule schedule) {
        Map<String, AttributeValue> item = item(recurringSchedulePartition(schedule.id()), META, schedule);
        String sortKey = sortKey(schedule.createdAt(), schedule.id());
        item.put("GSI1PK", text("RSCHEDOWNER#" + schedule.ownerId()));
        item.put("GSI1SK", text(sortKey));
        item.put("GSI2PK", text("RSCHEDS"));
        item.put("GSI2SK", text(sortKey));
        return item;
    }

    private static String recurringSchedulePartition(String id) {
        return "RSCHED#" + id;
    }

    /** Of these member keys, the ones the list has. */
    private List<String> existing(String listId, List<String> memberKeys) {
        return batchGet(memberKeys.stream().map(k -> key(listPartition(listId), MEMBER_PREFIX + k)).toList(), true).stream()
                .map(item -> item.get("SK").s().substring(MEMBER_PREFIX.length())).toList();
    }

    private void deleteMembers(String listId, List<String> memberKeys) {
        writeAll(memberKeys.stream().map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder()
                .key(key(listPartition(listId), MEMBER_PREFIX + k)).build()).build()).toList());
    }

    private void changeCount(String listId, int change) {
        if (change == 0) {
            return;
        }
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(listPartition(listId), META))
                    .updateExpression("ADD #count :change")
                    .conditionExpression("attribute_exists(PK)")
                    .expressionAttributeNames(Map.of("#count", MEMBER_COUNT))
                    .expressionAttributeValues(Map.of(":change", number(change))));
        } catch (ConditionalCheckFailedException deletedMeanwhile) {
            // The list went while its members were written: its count went with it.
        } catch (SdkException e) {
            throw failure("UpdateItem", e);
        }
    }

    private AudienceList list(Map<String, AttributeValue> item) {
        AttributeValue count = item.get(MEMBER_COUNT);
        return document(item, AudienceList.class).withMemberCount(count == null ? 0 : Long.parseLong(count.n()));
    }

    private Map<String, AttributeValue> listItem(AudienceList list) {
        Map<String, AttributeValue> item = item(listPartition(list.id()), META, list.withMemberCount(0));
        String sortKey = sortKey(list.createdAt(), list.id());
        item.put("GSI1PK", text("LISTOWNER#" + list.ownerId()));
        item.put("GSI1SK", text(sortKey));
        item.put("GSI2PK", text("LISTS"));
        item.put("GSI2SK", text(sortKey));
        return item;
    }

    private Map<String, AttributeValue> memberItem(String listId, ListMember member) {
        Map<String, AttributeValue> item = key(listPartition(listId), MEMBER_PREFIX + member.key());
        item.put("doc", text(documents.write(member)));
        return item;
    }

    private static String listPartition(String listId) {
        return "LIST#" + listId;
    }

    // --- DynamoDB plumbing

    private Map<String, AttributeValue> item(String partition, String sort, Versioned value) {
        Map<String, AttributeValue> item = key(partition, sort);
        item.put("version", number(value.version()));
        item.put("doc", text(documents.write(value)));
        return item;
    }

    private boolean insert(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(PK)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw failure("PutItem", e);
        }
    }

    /** Deletes the entity under {@code partition} when its stored version is {@code expectedVersion}. */
    private boolean delete(String partition, long expectedVersion) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(partition, META))
                    .conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", number(expectedVersion))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw failure("DeleteItem", e);
        }
    }

    private void put(Map<String, AttributeValue> item) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(item));
        } catch (SdkException e) {
            throw failure("PutItem", e);
        }
    }

    /** Writes {@code next} only where the stored item still has the version of {@code current}. */
    private <T extends Versioned> Optional<T> replace(T current, T next, Function<T, Map<String, AttributeValue>> toItem) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem.apply(next))
                    .conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", number(current.version()))));
            return Optional.of(next);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("PutItem", e);
        }
    }

    /** The item's document, as text or compressed. */
    private <T> T document(Map<String, AttributeValue> item, Class<T> type) {
        AttributeValue compressed = item.get(COMPRESSED_DOCUMENT);
        return compressed != null ? documents.readCompressed(compressed.b().asByteArrayUnsafe(), type)
                : documents.read(item.get("doc").s(), type);
    }

    private <T> Optional<T> get(String partition, String sort, Class<T> type) {
        return get(partition, sort, item -> document(item, type));
    }

    private <T> Optional<T> get(String partition, String sort, Function<Map<String, AttributeValue>, T> read) {
        try {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(partition, sort))
                    .consistentRead(true)).item();
            return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read.apply(item));
        } catch (SdkException e) {
            throw failure("GetItem", e);
        }
    }

    private QueryRequest.Builder index(String indexName, String partition, boolean ascending) {
        return QueryRequest.builder().tableName(table).indexName(indexName)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", indexName + "PK"))
                .expressionAttributeValues(Map.of(":pk", text(partition)))
                .scanIndexForward(ascending);
    }

    private QueryRequest.Builder prefix(String partition, String sortPrefix) {
        return QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", text(partition), ":prefix", text(sortPrefix)));
    }

    private QueryResponse query(QueryRequest request) {
        try {
            return dynamo.query(request);
        } catch (SdkException e) {
            throw failure("Query", e);
        }
    }

    private <T> List<T> queryAll(QueryRequest.Builder request, Class<T> type) {
        return queryItems(request, null, type, Integer.MAX_VALUE);
    }

    private <T> List<T> queryItems(QueryRequest.Builder request, Map<String, AttributeValue> startKey, Class<T> type,
                                   int wanted) {
        return queryItems(request, startKey, item -> document(item, type), wanted);
    }

    /** The query's items, page after page from {@code startKey}, until {@code wanted} are read or none are left. */
    private <T> List<T> queryItems(QueryRequest.Builder request, Map<String, AttributeValue> startKey,
                                   Function<Map<String, AttributeValue>, T> read, int wanted) {
        List<T> result = new ArrayList<>();
        Map<String, AttributeValue> next = startKey;
        do {
            QueryResponse response = query(request.exclusiveStartKey(next).build());
            for (Map<String, AttributeValue> item : response.items()) {
                result.add(read.apply(item));
            }
            next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (result.size() < wanted && next != null);
        return result;
    }

    private static Map<String, AttributeValue> key(String partition, String sort) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put("PK", text(partition));
        key.put("SK", text(sort));
        return key;
    }

    /** Sorts by instant, then id: microseconds since the epoch, zero-padded so that text order is time order. */
    private static String sortKey(Instant instant, String id) {
        return String.format("%020d#%s", ChronoUnit.MICROS.between(Instant.EPOCH, instant), id);
    }

    private static AttributeValue text(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        StringBuilder text = new StringBuilder();
        key.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> text.append(e.getKey()).append('\u0001').append(e.getValue().s()).append('\u0002'));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor) {
        try {
            Map<String, AttributeValue> key = new HashMap<>();
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            for (String pair : text.split("\u0002")) {
                String[] parts = pair.split("\u0001", 2);
                key.put(parts[0], text(parts[1]));
            }
            return key;
        } catch (RuntimeException e) {
            throw ValidationException.of("cursor", "is not a cursor this listing returned");
        }
    }

    private static StoreException failure(String operation, SdkException e) {
        return new StoreException("DynamoDB " + operation + " failed: " + e.getMessage(), e);
    }
}
