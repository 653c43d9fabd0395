package dev.herald.embedded;

import dev.herald.core.access.AccessToken;
import dev.herald.core.error.StoreException;
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
import dev.herald.core.port.TokenStore;
import dev.herald.core.storage.AddressCursor;
import dev.herald.core.storage.Documents;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The store of the local runtime: one SQLite database file in write-ahead-log mode. Every commit
 * is appended to the log before it returns, so a process that is killed loses nothing it
 * acknowledged (a power cut may lose the last commits: the log is not flushed to the disk on each
 * commit). One connection serves all threads, one statement at a time: a commit costs tens of
 * microseconds, so queueing for it is cheaper than the locking several writers would need.
 * Each conditional update is one {@code UPDATE ... WHERE version = ?}.
 */
public final class SqliteStore implements Store, TokenStore, AutoCloseable {

    /** Addresses looked up per statement: well within SQLite's limit of bound parameters. */
    private static final int SUPPRESSION_LOOKUP_BATCH = 500;

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final FileChannel lockFile;
    private final Documents documents = new Documents();
    private final Clock clock;

    private SqliteStore(String url, FileChannel lockFile, Clock clock) {
        this.clock = clock;
        this.lockFile = lockFile;
        try {
            this.connection = DriverManager.getConnection(url);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = NORMAL");
                statement.execute("PRAGMA busy_timeout = 5000");
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot open the database " + url, e);
        }
        createSchema();
    }

    /**
     * Opens (or creates) {@code herald.db} in the directory, which only one process may use at a
     * time: a second one fails at once, saying so.
     */
    public static SqliteStore open(Path directory, Clock clock) {
        Path lockPath = directory.toAbsolutePath().resolve("herald.lock");
        try {
            FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!tryLock(channel)) {
                channel.close();
                throw new StoreException("Another Herald process is using " + directory.toAbsolutePath()
                        + "; stop it or choose another HERALD_DATA_DIR.", null);
            }
            return new SqliteStore("jdbc:sqlite:" + directory.toAbsolutePath().resolve("herald.db"), channel, clock);
        } catch (IOException e) {
            throw new StoreException("Cannot lock " + lockPath, e);
        }
    }

    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException heldInThisProcess) {
            return false;
        }
    }

    /** A private in-memory database: for tests. */
    public static SqliteStore inMemory(Clock clock) {
        return new SqliteStore("jdbc:sqlite::memory:", null, clock);
    }

    private void createSchema() {
        String ddl;
        try (InputStream in = SqliteStore.class.getResourceAsStream("schema.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("Cannot read the schema", e);
        }
        inTransaction(connection -> {
            try (Statement statement = connection.createStatement()) {
                for (String sql : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
            }
            return null;
        });
    }

    // --- message systems

    @Override
    public boolean insertMessageSystem(MessageSystem system) {
        return insertIgnoringDuplicate("INSERT INTO message_systems (id, version, doc) VALUES (?, ?, ?)",
                system.id(), system.version(), documents.write(system));
    }

    @Override
    public Optional<MessageSystem> findMessageSystem(String id) {
        return queryOne("SELECT doc FROM message_systems WHERE id = ?", MessageSystem.class, id);
    }

    @Override
    public List<MessageSystem> listMessageSystems() {
        return query("SELECT doc FROM message_systems ORDER BY id", MessageSystem.class);
    }

    @Override
    public Optional<MessageSystem> updateMessageSystem(MessageSystem system) {
        MessageSystem next = system.withVersion(system.version() + 1);
        return updated(next, "UPDATE message_systems SET version = ?, doc = ? WHERE id = ? AND version = ?",
                next.version(), documents.write(next), system.id(), system.version());
    }

    @Override
    public boolean deleteMessageSystem(String id, long expectedVersion) {
        return update("DELETE FROM message_systems WHERE id = ? AND version = ?", id, expectedVersion) == 1;
    }

    @Override
    public boolean hasUnfinishedMessages(String messageSystemId) {
        return alone(connection -> {
            try (PreparedStatement statement = prepare(connection,
                    "SELECT 1 FROM messages WHERE system_id = ? AND status IN ('SCHEDULED', 'SENDING', 'PAUSED') LIMIT 1",
                    messageSystemId); ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        });
    }

    // --- messages, chunks

    @Override
    public void createMessage(Message message, List<Chunk> chunks, List<Task> tasks) {
        inTransaction(connection -> {
            putRows(connection, "INSERT INTO chunks", chunks, Chunk::messageId, Chunk::index);
            for (Task task : tasks) {
                insertTask(connection, task);
            }
            try (PreparedStatement insert = prepare(connection,
                    "INSERT INTO messages (id, owner_id, system_id, status, created_at, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    message.id(), message.ownerId(), message.messageSystemId(), message.status().name(),
                    timestamp(message.createdAt()), message.version(), documents.write(message))) {
                insert.executeUpdate();
            }
            return null;
        });
    }

    private void insertTask(Connection connection, Task task) throws SQLException {
        try (PreparedStatement insert = prepare(connection,
                "INSERT INTO tasks (id, message_id, state, fire_at, created_at, version, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                task.id(), task.messageId(), task.state().name(), timestamp(task.fireAt()), timestamp(task.createdAt()),
                task.version(), documents.write(task))) {
            insert.executeUpdate();
        }
    }

    @Override
    public Optional<Message> findMessage(String id) {
        return queryOne("SELECT doc FROM messages WHERE id = ?", Message.class, id);
    }

    @Override
    public Page<Message> listMessages(MessageQuery query) {
        StringBuilder sql = new StringBuilder("SELECT doc FROM messages WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.ownerId() != null) {
            sql.append(" AND owner_id = ?");
            parameters.add(query.ownerId());
        }
        if (query.status() != null) {
            sql.append(" AND status = ?");
            parameters.add(query.status().name());
        }
        appendNewestFirst(sql, parameters, query.cursor(), query.limit());
        return Page.ofRowsBeyond(query(sql.toString(), Message.class, parameters.toArray()), query.limit(),
                last -> new NewestFirstCursor(last.createdAt(), last.id()).encode());
    }

    @Override
    public Optional<Message> updateMessage(Message message) {
        Message next = message.withVersion(message.version() + 1);
        return updated(next, "UPDATE messages SET status = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                next.status().name(), next.version(), documents.write(next), message.id(), message.version());
    }

    @Override
    public List<Chunk> listChunks(String messageId, int fromIndex, int limit) {
        return query("SELECT doc FROM chunks WHERE message_id = ? AND idx >= ? ORDER BY idx LIMIT ?", Chunk.class,
                messageId, fromIndex, limit);
    }

    @Override
    public Optional<Chunk> findChunk(String messageId, int index) {
        return queryOne("SELECT doc FROM chunks WHERE message_id = ? AND idx = ?", Chunk.class, messageId, index);
    }

    @Override
    public Optional<Chunk> updateChunk(Chunk chunk) {
        Chunk next = chunk.withVersion(chunk.version() + 1);
        return updated(next, "UPDATE chunks SET version = ?, doc = ? WHERE message_id = ? AND idx = ? AND version = ?",
                next.version(), documents.write(next), chunk.messageId(), chunk.index(), chunk.version());
    }

    @Override
    public void putChunks(List<Chunk> chunks) {
        inTransaction(connection -> putRows(connection, "INSERT OR REPLACE INTO chunks", chunks, Chunk::messageId, Chunk::index));
    }

    @Override
    public void putSlices(List<Slice> slices) {
        inTransaction(connection -> putRows(connection, "INSERT OR REPLACE INTO slices", slices, Slice::messageId, Slice::index));
    }

    /** Writes rows of a table keyed by message and index ({@code insert}: its statement up to the columns) in one batch. */
    private <T extends Versioned> Void putRows(Connection connection, String insert, List<T> rows, Function<T, String> messageId,
                                               ToIntFunction<T> index) throws SQLException {
        try (PreparedStatement put = connection.prepareStatement(insert + " (message_id, idx, version, doc) VALUES (?, ?, ?, ?)")) {
            for (T row : rows) {
                bind(put, messageId.apply(row), index.applyAsInt(row), row.version(), documents.write(row));
                put.addBatch();
            }
            put.executeBatch();
        }
        return null;
    }

    @Override
    public List<Slice> listSlices(String messageId) {
        return query("SELECT doc FROM slices WHERE message_id = ? ORDER BY idx", Slice.class, messageId);
    }

    @Override
    public Optional<Slice> updateSlice(Slice slice) {
        Slice next = slice.withVersion(slice.version() + 1);
        return updated(next, "UPDATE slices SET version = ?, doc = ? WHERE message_id = ? AND idx = ? AND version = ?",
                next.version(), documents.write(next), slice.messageId(), slice.index(), slice.version());
    }

    @Override
    public void putFeedbackTally(String messageId, int chunkIndex, FeedbackTally tally) {
        update("INSERT INTO feedback_tallies (message_id, idx, chunk_version, doc) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (message_id, idx) DO UPDATE SET chunk_version = excluded.chunk_version, doc = excluded.doc "
                        + "WHERE excluded.chunk_version > feedback_tallies.chunk_version",
                messageId, chunkIndex, tally.chunkVersion(), documents.write(tally));
    }

    @Override
    public Counts feedbackCounts(String messageId) {
        return query("SELECT doc FROM feedback_tallies WHERE message_id = ?", FeedbackTally.class, messageId).stream()
                .map(FeedbackTally::counts).reduce(Counts.ZERO, Counts::plus);
    }

    // --- tasks, runs

    @Override
    public Optional<Task> findTask(String id) {
        return queryOne("SELECT doc FROM tasks WHERE id = ?", Task.class, id);
    }

    @Override
    public List<Task> listTasks(String messageId) {
        return query("SELECT doc FROM tasks WHERE message_id = ? ORDER BY created_at, id", Task.class, messageId);
    }

    @Override
    public List<Task> listTasksByState(Set<TaskState> states, Instant dueBy) {
        if (states.isEmpty()) {
            return List.of();
        }
        String placeholders = states.stream().map(s -> "?").collect(Collectors.joining(", "));
        List<Object> parameters = new ArrayList<>(states.stream().map(Enum::name).toList());
        parameters.add(timestamp(dueBy));
        return query("SELECT doc FROM tasks WHERE state IN (" + placeholders + ") AND fire_at <= ? ORDER BY fire_at, id",
                Task.class, parameters.toArray());
    }

    @Override
    public Optional<Task> updateTask(Task task) {
        Task next = task.withVersion(task.version() + 1);
        return updated(next, "UPDATE tasks SET state = ?, fire_at = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
                next.state().name(), timestamp(next.fireAt()), next.version(), documents.write(next), task.id(), task.version());
    }

    @Override
    public void insertRun(Run run) {
        update("INSERT INTO runs (id, message_id, started_at, version, doc) VALUES (?, ?, ?, ?, ?)",
                run.id(), run.messageId(), timestamp(run.startedAt()), run.version(), documents.write(run));
    }

    @Override
    public Optional<Run> updateRun(Run run) {
        Run next = run.withVersion(run.version() + 1);
        return updated(next, "UPDATE runs SET version = ?, doc = ? WHERE id = ? AND version = ?",
                next.version(), documents.write(next), run.id(), run.version());
    }

    @Override
    public List<Run> listRuns(String messageId) {
        return query("SELECT doc FROM runs WHERE message_id = ? ORDER BY started_at, id", Run.class, messageId);
    }

    // --- idempotency keys: an expired key is as good as absent

    @Override
    public boolean insertIdempotencyRecord(IdempotencyRecord record) {
        return inTransaction(connection -> {
            try (PreparedStatement purge = prepare(connection,
                    "DELETE FROM idempotency_keys WHERE caller_id = ? AND idem_key = ? AND expires_at < ?",
                    record.callerId(), record.key(), timestamp(clock.instant()))) {
                purge.executeUpdate();
            }
            try (PreparedStatement insert = prepare(connection,
                    "INSERT INTO idempotency_keys (caller_id, idem_key, expires_at, doc) VALUES (?, ?, ?, ?)",
                    record.callerId(), record.key(), timestamp(record.expiresAt()), documents.write(record))) {
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyRecord(String callerId, String key) {
        return queryOne("SELECT doc FROM idempotency_keys WHERE caller_id = ? AND idem_key = ? AND expires_at >= ?",
                IdempotencyRecord.class, callerId, key, timestamp(clock.instant()));
    }

    // --- suppression lists

    @Override
    public int addSuppressions(List<Suppression> entries) {
        return inTransaction(connection -> {
            int added = 0;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT OR IGNORE INTO suppressions (system_id, address, doc) VALUES (?, ?, ?)")) {
                for (Suppression entry : entries) {
                    bind(insert, entry.messageSystemId(), entry.address(), documents.write(entry));
                    added += insert.executeUpdate();
                }
            }
            return added;
        });
    }

    @Override
    public Map<String, Suppression> findSuppressions(String messageSystemId, Collection<String> addresses) {
        Map<String, Suppression> found = new HashMap<>();
        List<String> all = List.copyOf(addresses);
        for (int start = 0; start < all.size(); start += SUPPRESSION_LOOKUP_BATCH) {
            List<String> batch = all.subList(start, Math.min(all.size(), start + SUPPRESSION_LOOKUP_BATCH));
            List<Object> parameters = new ArrayList<>(batch.size() + 1);
            parameters.add(messageSystemId);
            parameters.addAll(batch);
            query("SELECT doc FROM suppressions WHERE system_id = ? AND address IN ("
                    + String.join(", ", Collections.nCopies(batch.size(), "?")) + ")",
                    Suppression.class, parameters.toArray())
                    .forEach(entry -> found.put(entry.address(), entry));
        }
        return found;
    }

    @Override
    public Map<String, Suppression> findSuppressionsBetween(String messageSystemId, String fromKey, String toKey) {
        Map<String, Suppression> found = new HashMap<>();
        query("SELECT doc FROM suppressions WHERE system_id = ? AND address BETWEEN ? AND ?", Suppression.class,
                messageSystemId, fromKey, toKey).forEach(entry -> found.put(entry.address(), entry));
        return found;
    }

    @Override
    public Page<Suppression> listSuppressions(String messageSystemId, String cursor, int limit) {
        String after = cursor == null ? "" : AddressCursor.decode(cursor);
        List<Suppression> rows = query("SELECT doc FROM suppressions WHERE system_id = ? AND address > ? ORDER BY address LIMIT ?",
                Suppression.class, messageSystemId, after, limit + 1);
        return Page.ofRowsBeyond(rows, limit, last -> AddressCursor.after(last.address()));
    }

    @Override
    public boolean removeSuppression(String messageSystemId, String address) {
        return update("DELETE FROM suppressions WHERE system_id = ? AND address = ?", messageSystemId, address) == 1;
    }

    // --- audience lists: the count beside the document, changed in the transaction that changes the members

    @Override
    public boolean insertList(AudienceList list) {
        return insertIgnoringDuplicate(
                "INSERT INTO lists (id, owner_id, created_at, member_count, version, doc) VALUES (?, ?, ?, 0, ?, ?)",
                list.id(), list.ownerId(), timestamp(list.createdAt()), list.version(), documents.write(list.withMemberCount(0)));
    }

    @Override
    public Optional<AudienceList> findList(String id) {
        return lists("SELECT doc, member_count FROM lists WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public Page<AudienceList> listLists(String ownerId, String cursor, int limit) {
        return ownedNewestFirst("SELECT doc, member_count FROM lists", ownerId, cursor, limit,
                (sql, parameters) -> lists(sql, parameters), AudienceList::createdAt, AudienceList::id);
    }

    /** A page of {@code select}'s rows of an owner (all when {@code ownerId} is null), newest first. */
    private <T> Page<T> ownedNewestFirst(String select, String ownerId, String cursor, int limit,
                                         BiFunction<String, Object[], List<T>> rows, Function<T, Instant> createdAt,
                                         Function<T, String> id) {
        StringBuilder sql = new StringBuilder(select).append(" WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (ownerId != null) {
            sql.append(" AND owner_id = ?");
            parameters.add(ownerId);
        }
        appendNewestFirst(sql, parameters, cursor, limit);
        return Page.ofRowsBeyond(rows.apply(sql.toString(), parameters.toArray()), limit,
                last -> new NewestFirstCursor(createdAt.apply(last), id.apply(last)).encode());
    }

    private List<AudienceList> lists(String sql, Object... parameters) {
        return alone(connection -> {
            List<AudienceList> result = new ArrayList<>();
            try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(documents.read(rows.getString(1), AudienceList.class).withMemberCount(rows.getLong(2)));
                }
            }
            return result;
        });
    }

    @Override
    public Optional<AudienceList> updateList(AudienceList list) {
        AudienceList next = list.withVersion(list.version() + 1);
        return updated(next, "UPDATE lists SET version = ?, doc = ? WHERE id = ? AND version = ?",
                next.version(), documents.write(next.withMemberCount(0)), list.id(), list.version());
    }

    // --- recurring schedules

    @Override
    public boolean insertRecurringSchedule(RecurringSchedule schedule) {
        return insertIgnoringDuplicate("INSERT INTO recurring_schedules (id, owner_id, created_at, version, doc) VALUES (?, ?, ?, ?, ?)",
                schedule.id(), schedule.ownerId(), timestamp(schedule.createdAt()), schedule.version(), documents.write(schedule));
    }

    @Override
    public Optional<RecurringSchedule> findRecurringSchedule(String id) {
        return query("SELECT doc FROM recurring_schedules WHERE id = ?", RecurringSchedule.class, id).stream().findFirst();
    }

    @Override
    public Page<RecurringSchedule> listRecurringSchedules(String ownerId, String cursor, int limit) {
        return ownedNewestFirst("SELECT doc FROM recurring_schedules", ownerId, cursor, limit,
                (sql, parameters) -> query(sql, RecurringSchedule.class, parameters), RecurringSchedule::createdAt,
                RecurringSchedule::id);
    }

    @Override
    public Optional<RecurringSchedule> updateRecurringSchedule(RecurringSchedule schedule) {
        RecurringSchedule next = schedule.withVersion(schedule.version() + 1);
        return updated(next, "UPDATE recurring_schedules SET version = ?, doc = ? WHERE id = ? AND version = ?",
                next.version(), documents.write(next), schedule.id(), schedule.version());
    }

    @Override
    public boolean deleteRecurringSchedule(String id, long expectedVersion) {
        return inTransaction(connection -> {
            try (PreparedStatement schedule = prepare(connection, "DELETE FROM recurring_schedules WHERE id = ? AND version = ?",
                    id, expectedVersion)) {
                if (schedule.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement occurrences = prepare(connection, "DELETE FROM schedule_occurrences WHERE schedule_id = ?", id)) {
                occurrences.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public boolean countAgainstDailyCap(String messageSystemId, LocalDate day, int mails, int limit) {
        return inTransaction(connection -> {
            try (PreparedStatement start = prepare(connection,
                    "INSERT OR IGNORE INTO daily_counts (system_id, day, mails) VALUES (?, ?, 0)", messageSystemId, day.toString());
                 PreparedStatement count = prepare(connection,
                         "UPDATE daily_counts SET mails = mails + ? WHERE system_id = ? AND day = ? AND mails + ? <= ?",
                         mails, messageSystemId, day.toString(), mails, limit)) {
                start.executeUpdate();
                return count.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean insertOccurrence(ScheduleOccurrence occurrence) {
        return insertIgnoringDuplicate("INSERT INTO schedule_occurrences (schedule_id, at, doc) VALUES (?, ?, ?)",
                occurrence.scheduleId(), timestamp(occurrence.at()), documents.write(occurrence));
    }

    @Override
    public Optional<ScheduleOccurrence> findOccurrence(String scheduleId, Instant at) {
        return query("SELECT doc FROM schedule_occurrences WHERE schedule_id = ? AND at = ?", ScheduleOccurrence.class,
                scheduleId, timestamp(at)).stream().findFirst();
    }

    /** Latest first; the cursor is the last occurrence's instant. */
    @Override
    public Page<ScheduleOccurrence> listOccurrences(String scheduleId, String cursor, int limit) {
        long before = cursor == null ? Long.MAX_VALUE : timestamp(NewestFirstCursor.decode(cursor).createdAt());
        return Page.ofRowsBeyond(query("SELECT doc FROM schedule_occurrences WHERE schedule_id = ? AND at < ?"
                        + " ORDER BY at DESC LIMIT ?", ScheduleOccurrence.class, scheduleId, before, limit + 1), limit,
                last -> new NewestFirstCursor(last.at(), scheduleId).encode());
    }

    @Override
    public int putMembers(String listId, List<ListMember> members) {
        return inTransaction(connection -> {
            int added = 0;
            try (PreparedStatement replace = connection.prepareStatement(
                    "UPDATE list_members SET doc = ? WHERE list_id = ? AND member_key = ?");
                 PreparedStatement insert = connection.prepareStatement(
                         "INSERT INTO list_members (list_id, member_key, doc) VALUES (?, ?, ?)")) {
                for (ListMember member : members) {
                    String doc = documents.write(member);
                    bind(replace, doc, listId, member.key());
                    if (replace.executeUpdate() == 0) {
                        bind(insert, listId, member.key(), doc);
                        added += insert.executeUpdate();
                    }
                }
            }
            changeCount(connection, listId, added);
            return added;
        });
    }

    @Override
    public int removeMembers(String listId, Collection<String> keys) {
        return inTransaction(connection -> {
            int removed = 0;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM list_members WHERE list_id = ? AND member_key = ?")) {
                for (String key : keys) {
                    bind(delete, listId, key);
                    removed += delete.executeUpdate();
                }
            }
            changeCount(connection, listId, -removed);
            return removed;
        });
    }

    @Override
    public Page<ListMember> listMembers(String listId, String cursor, int limit) {
        String after = cursor == null ? "" : AddressCursor.decode(cursor);
        List<ListMember> rows = query("SELECT doc FROM list_members WHERE list_id = ? AND member_key > ? ORDER BY member_key LIMIT ?",
                ListMember.class, listId, after, limit + 1);
        return Page.ofRowsBeyond(rows, limit, last -> AddressCursor.after(last.key()));
    }

    @Override
    public int removeSomeMembers(String listId, int atMost) {
        return inTransaction(connection -> {
            int removed;
            try (PreparedStatement delete = prepare(connection, "DELETE FROM list_members WHERE list_id = ? AND member_key IN "
                    + "(SELECT member_key FROM list_members WHERE list_id = ? ORDER BY member_key LIMIT ?)", listId, listId, atMost)) {
                removed = delete.executeUpdate();
            }
            changeCount(connection, listId, -removed);
            return removed;
        });
    }

    private static void changeCount(Connection connection, String listId, int change) throws SQLException {
        try (PreparedStatement update = prepare(connection, "UPDATE lists SET member_count = member_count + ? WHERE id = ?",
                change, listId)) {
            update.executeUpdate();
        }
    }

    @Override
    public boolean deleteList(String id, long expectedVersion) {
        return inTransaction(connection -> {
            try (PreparedStatement delete = prepare(connection, "DELETE FROM lists WHERE id = ? AND version = ?", id, expectedVersion)) {
                if (delete.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement members = prepare(connection, "DELETE FROM list_members WHERE list_id = ?", id)) {
                members.executeUpdate();
            }
            return true;
        });
    }

    // --- access tokens

    @Override
    public void insertToken(AccessToken token) {
        update("INSERT INTO access_tokens (id, token_hash, doc) VALUES (?, ?, ?)",
                token.id(), token.tokenHash(), documents.write(token));
    }

    @Override
    public Optional<AccessToken> findTokenByHash(String tokenHash) {
        return queryOne("SELECT doc FROM access_tokens WHERE token_hash = ?", AccessToken.class, tokenHash);
    }

    @Override
    public List<AccessToken> listTokens() {
        return query("SELECT doc FROM access_tokens", AccessToken.class).stream()
                .sorted(java.util.Comparator.comparing(AccessToken::createdAt).thenComparing(AccessToken::id)).toList();
    }

    @Override
    public void updateToken(AccessToken token) {
        update("UPDATE access_tokens SET doc = ? WHERE id = ?", documents.write(token), token.id());
    }

    @Override
    public boolean deleteToken(String id) {
        return update("DELETE FROM access_tokens WHERE id = ?", id) > 0;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
            if (lockFile != null) {
                lockFile.close();
            }
        } catch (SQLException | IOException e) {
            throw new StoreException("Closing the database failed", e);
        } finally {
            lock.unlock();
        }
    }

    // --- JDBC plumbing

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    /** Runs the work alone on the connection, as one transaction. */
    private <T> T inTransaction(Work<T> work) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("Database operation failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the database answers a trivial query within {@code wait}: false when it fails, or when
     * the connection stays busy longer (a stuck statement is as bad as a failed one).
     */
    public boolean answersWithin(Duration wait) {
        try {
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
            return rows.next();
        } catch (SQLException e) {
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Runs one statement alone on the connection, committed by itself. */
    private <T> T alone(Work<T> work) {
        lock.lock();
        try {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new StoreException("Database operation failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> List<T> query(String sql, Class<T> type, Object... parameters) {
        return alone(connection -> {
            List<T> result = new ArrayList<>();
            try (PreparedStatement statement = prepare(connection, sql, parameters);
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(documents.read(rows.getString(1), type));
                }
            }
            return result;
        });
    }

    private <T> Optional<T> queryOne(String sql, Class<T> type, Object... parameters) {
        return query(sql, type, parameters).stream().findFirst();
    }

    private int update(String sql, Object... parameters) {
        return alone(connection -> {
            try (PreparedStatement statement = prepare(connection, sql, parameters)) {
                return statement.executeUpdate();
            }
        });
    }

    private <T> Optional<T> updated(T next, String sql, Object... parameters) {
        return update(sql, parameters) == 1 ? Optional.of(next) : Optional.empty();
    }

    private boolean insertIgnoringDuplicate(String sql, Object... parameters) {
        return alone(connection -> {
            try (PreparedStatement statement = prepare(connection, sql, parameters)) {
                statement.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static boolean isDuplicateKey(SQLException e) {
        return e instanceof SQLiteException sqlite && (sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY
                || sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        bind(statement, parameters);
        return statement;
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }

    private static long timestamp(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    /** Pages newest first from the cursor, one row beyond the limit (see {@link Page#ofRowsBeyond}). */
    private static void appendNewestFirst(StringBuilder sql, List<Object> parameters, String cursor, int limit) {
        if (cursor != null) {
            NewestFirstCursor after = NewestFirstCursor.decode(cursor);
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            parameters.add(timestamp(after.createdAt()));
            parameters.add(timestamp(after.createdAt()));
            parameters.add(after.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        parameters.add(limit + 1);
    }

    /** Position after the last row of a page listed newest first: its creation instant and id. */
    private record NewestFirstCursor(Instant createdAt, String id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static NewestFirstCursor decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                return new NewestFirstCursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
            } catch (RuntimeException e) {
                throw dev.herald.core.error.ValidationException.of("cursor", "is not a cursor this listing returned");
            }
        }
    }
}
