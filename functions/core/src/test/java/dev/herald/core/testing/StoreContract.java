package dev.herald.core.testing;

import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.FeedbackEntry;
import dev.herald.core.model.FeedbackKind;
import dev.herald.core.model.FeedbackTally;
import dev.herald.core.model.IdempotencyRecord;
import dev.herald.core.model.JobAccount;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.ListState;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Page;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.model.ScheduleOccurrence;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Slice;
import dev.herald.core.model.SliceState;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.MessageQuery;
import dev.herald.core.port.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Store} adapter must do. An adapter's test extends this and supplies a fresh,
 * empty store; the same suite runs against the embedded store and the DynamoDB store.
 */
public abstract class StoreContract {

    protected static final Instant T0 = Instant.parse("2030-01-01T09:00:00Z");
    private Store store;

    /** A store with nothing in it. */
    protected abstract Store newEmptyStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newEmptyStore();
    }

    @Test
    void messageSystem_roundTripsEveryField_includingTheEncryptedJobAccount() {
        MessageSystem system = Fixtures.smtpSystem("relay", T0)
                .withJobAccount(new JobAccount("mailer", new byte[]{1, 2, 3, (byte) 0xff}), T0);

        assertThat(store.insertMessageSystem(system)).isTrue();
        MessageSystem read = store.findMessageSystem("relay").orElseThrow();

        assertThat(read).usingRecursiveComparison().ignoringFields("jobAccount").isEqualTo(system);
        assertThat(read.jobAccount().name()).isEqualTo("mailer");
        assertThat(read.jobAccount().encryptedPassword()).containsExactly(1, 2, 3, 0xff);
    }

    @Test
    void insertMessageSystem_refusesATakenId() {
        store.insertMessageSystem(Fixtures.outboxSystem("a", T0));

        assertThat(store.insertMessageSystem(Fixtures.outboxSystem("a", T0.plusSeconds(1)))).isFalse();
        assertThat(store.findMessageSystem("a").orElseThrow().createdAt()).isEqualTo(T0);
    }

    @Test
    void updateMessageSystem_succeedsOnTheStoredVersionOnly() {
        store.insertMessageSystem(Fixtures.outboxSystem("a", T0));
        MessageSystem read = store.findMessageSystem("a").orElseThrow();

        MessageSystem updated = store.updateMessageSystem(read.withJobAccount(null, T0.plusSeconds(5))).orElseThrow();
        boolean staleWriteApplied = store.updateMessageSystem(read.withJobAccount(null, T0.plusSeconds(9))).isPresent();

        assertThat(updated.version()).isEqualTo(read.version() + 1);
        assertThat(staleWriteApplied).isFalse();
        assertThat(store.findMessageSystem("a").orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void listAndDeleteMessageSystems() {
        store.insertMessageSystem(Fixtures.outboxSystem("b", T0));
        store.insertMessageSystem(Fixtures.outboxSystem("a", T0));

        assertThat(store.listMessageSystems()).extracting(MessageSystem::id).containsExactly("a", "b");
        assertThat(store.deleteMessageSystem("a", 7)).isFalse();
        assertThat(store.deleteMessageSystem("a", 0)).isTrue();
        assertThat(store.findMessageSystem("a")).isEmpty();
    }

    @Test
    void createMessage_makesMessageChunksAndTaskVisible() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 250, 100, T0, T0.plusSeconds(60),
                DeliveryGuarantee.AT_MOST_ONCE);

        store.createMessage(m.message(), m.chunks(), m.task());

        assertThat(store.findMessage("m1").orElseThrow()).usingRecursiveComparison().isEqualTo(m.message());
        List<Chunk> chunks = store.listChunks("m1");
        assertThat(chunks).extracting(Chunk::index).containsExactly(0, 1, 2);
        assertThat(chunks.get(2).recipients()).hasSize(50);
        assertThat(chunks.get(0).recipients().get(7).data()).isEqualTo(Map.of("n", 7));
        assertThat(store.findTask(m.task().id()).orElseThrow()).usingRecursiveComparison().isEqualTo(m.task());
        assertThat(store.listTasks("m1")).extracting(Task::id).containsExactly(m.task().id());
    }

    @Test
    void createMessage_withATaskPerInstant_keepsEachTasksChunksAndZones_andLocalSendTime() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 250, 100, T0, T0.plusSeconds(60),
                DeliveryGuarantee.AT_LEAST_ONCE);
        Message local = new Message(m.message().id(), m.message().ownerId(), m.message().messageSystemId(),
                m.message().subject(), m.message().text(), m.message().html(), m.message().sendAt(), "Europe/Paris",
                java.time.LocalDateTime.parse("2030-03-05T09:00"), null, m.message().delivery(), null, null,
                m.message().status(), m.message().counts(), m.message().chunkCount(), null, null, null, T0, T0, 0);
        Task tokyo = new Task("t-tokyo", "m1", "sys", "default", T0.plusSeconds(60), new ChunkRange(0, 2),
                List.of("Asia/Tokyo"), TaskState.PENDING, null, null, T0, T0, 0);
        Task paris = new Task("t-paris", "m1", "sys", "default", T0.plusSeconds(3600), new ChunkRange(2, 3),
                List.of("Europe/Berlin", "Europe/Paris"), TaskState.PENDING, null, null, T0, T0, 0);

        store.createMessage(local, m.chunks(), List.of(tokyo, paris));

        assertThat(store.findMessage("m1").orElseThrow()).usingRecursiveComparison().isEqualTo(local);
        assertThat(store.findTask("t-paris").orElseThrow()).usingRecursiveComparison().isEqualTo(paris);
        assertThat(store.listTasks("m1")).extracting(Task::chunks)
                .containsExactlyInAnyOrder(new ChunkRange(0, 2), new ChunkRange(2, 3));
        try (var inRange = store.streamChunks(local, paris.chunks())) {
            assertThat(inRange.map(Chunk::index)).containsExactly(2);
        }
    }

    @Test
    void chunks_areReadInPages_byIndex_andStreamedAcrossPages() {
        int chunks = Store.CHUNK_PAGE * 2 + 5;
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", chunks * 2, 2, T0, T0,
                DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());
        Fixtures.StoredMessage other = Fixtures.message("m2", "alice", "sys", 10, 2, T0, T0,
                DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(other.message(), other.chunks(), other.task());

        assertThat(store.listChunks("m1", 7, 3)).extracting(Chunk::index).containsExactly(7, 8, 9);
        assertThat(store.listChunks("m1", chunks - 2, 10)).extracting(Chunk::index).containsExactly(chunks - 2, chunks - 1);
        assertThat(store.listChunks("m1", chunks, 10)).isEmpty();
        assertThat(store.streamChunks(m.message()).map(Chunk::index).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, chunks).boxed().toList());
        assertThat(store.streamChunks(m.message(), Store.CHUNK_PAGE + 3).map(Chunk::index).findFirst()).contains(Store.CHUNK_PAGE + 3);
        assertThat(store.streamChunks(other.message())).hasSize(5);
    }

    @Test
    void putChunks_replacesChunksByIndex_andAMessageStreamsOnlyUpToItsChunkCount() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 4, 2, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());
        List<Recipient> copied = List.of(new Recipient("zed@example.com", "Zed", Map.of("tier", "gold"), null));
        store.putChunks(List.of(new Chunk("m1", 1, copied, ChunkState.PENDING, null, T0, 0),
                new Chunk("m1", 2, copied, ChunkState.PENDING, null, T0, 0)));

        assertThat(store.findChunk("m1", 1).orElseThrow().recipients()).isEqualTo(copied);
        assertThat(store.findChunk("m1", 2)).isPresent();
        // Chunk 2 lies past the message's two chunks: written by a copy that has not recorded it yet.
        assertThat(store.streamChunks(m.message()).map(Chunk::index).toList()).containsExactly(0, 1);
    }

    @Test
    void slices_arePutListedByIndex_andClaimedConditionally() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 400, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());
        store.putSlices(List.of(
                new Slice("m1", 1, 2, 4, SliceState.OPEN, null, null, 2, Counts.allPending(200), T0, 0),
                new Slice("m1", 0, 0, 2, SliceState.OPEN, null, null, 0, Counts.allPending(200), T0, 0)));

        List<Slice> slices = store.listSlices("m1");
        assertThat(slices).extracting(Slice::index).containsExactly(0, 1);
        assertThat(slices.get(1)).usingRecursiveComparison()
                .isEqualTo(new Slice("m1", 1, 2, 4, SliceState.OPEN, null, null, 2, Counts.allPending(200), T0, 0));
        Slice claim = slices.get(0).claimedBy("run-1", T0.plusSeconds(60), T0);
        Slice claimed = store.updateSlice(claim).orElseThrow();
        assertThat(claimed.version()).isEqualTo(1);
        assertThat(store.updateSlice(slices.get(0).claimedBy("run-2", T0.plusSeconds(60), T0))).as("a second claim").isEmpty();
        assertThat(store.listSlices("m1").get(0).runId()).isEqualTo("run-1");
        assertThat(store.listSlices("nope")).isEmpty();
    }

    private static ListMember member(String email, String name) {
        return new ListMember(email, name, Map.of("plan", "pro", "seats", 3), "Europe/Vienna");
    }

    private AudienceList newList(String id, String owner, Instant createdAt) {
        AudienceList list = new AudienceList(id, owner, "sys", "List " + id, ListState.ACTIVE, 0, createdAt, createdAt, 0);
        assertThat(store.insertList(list)).isTrue();
        return list;
    }

    @Test
    void lists_roundTrip_keepTheirCount_andATakenIdIsRefused() {
        AudienceList list = newList("l1", "alice", T0);
        assertThat(store.insertList(list)).isFalse();

        assertThat(store.putMembers("l1", List.of(member("Ann@Example.com", "Ann"), member("bob@example.com", "Bob")))).isEqualTo(2);
        // Ann again, under another spelling of her address: replaced, not added.
        assertThat(store.putMembers("l1", List.of(member("ann@example.com", "Ann B."), member("cyd@example.com", null)))).isEqualTo(1);

        AudienceList read = store.findList("l1").orElseThrow();
        assertThat(read).usingRecursiveComparison().ignoringFields("memberCount").isEqualTo(list);
        assertThat(read.memberCount()).isEqualTo(3);
        Page<ListMember> members = store.listMembers("l1", null, 10);
        assertThat(members.items()).extracting(ListMember::email).containsExactly("ann@example.com", "bob@example.com", "cyd@example.com");
        assertThat(members.items().get(0)).isEqualTo(member("ann@example.com", "Ann B."));
        assertThat(members.nextCursor()).isNull();
        assertThat(store.findList("nope")).isEmpty();
    }

    @Test
    void listMembers_arePagedByKey_andRemovedByKey_theCountFollowing() {
        newList("l1", "alice", T0);
        newList("l2", "alice", T0);
        List<ListMember> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(member(String.format("user%03d@example.com", i), null));
        }
        assertThat(store.putMembers("l1", many)).isEqualTo(250);
        store.putMembers("l2", List.of(member("other@example.com", null)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<ListMember> page = store.listMembers("l1", cursor, 100);
            page.items().forEach(m -> seen.add(m.email()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(many.stream().map(ListMember::email).toList());

        assertThat(store.removeMembers("l1", List.of("user000@example.com", "user001@example.com", "nobody@example.com"))).isEqualTo(2);
        assertThat(store.findList("l1").orElseThrow().memberCount()).isEqualTo(248);
        assertThat(store.listMembers("l1", null, 1).items()).extracting(ListMember::email).containsExactly("user002@example.com");
        assertThat(store.findList("l2").orElseThrow().memberCount()).isEqualTo(1);
    }

    private RecurringSchedule newRecurringSchedule(String id, String owner, Instant createdAt) {
        RecurringSchedule schedule = new RecurringSchedule(id, owner, "sys", "Weekly " + id, "News for {{name}}",
                "Hello {{name}}", "<p>Hello {{name}}</p>", "l1", "cron(0 9 ? * MON *)", "Europe/Vienna", createdAt,
                null, RecurringScheduleState.ACTIVE, createdAt, createdAt, 0);
        assertThat(store.insertRecurringSchedule(schedule)).isTrue();
        return schedule;
    }

    @Test
    void recurringSchedules_roundTrip_areListedNewestFirstByOwner_changedConditionally_andDeletedByVersion() {
        RecurringSchedule first = newRecurringSchedule("s1", "alice", T0);
        newRecurringSchedule("s2", "bob", T0.plusSeconds(1));
        RecurringSchedule third = newRecurringSchedule("s3", "alice", T0.plusSeconds(2));
        assertThat(store.insertRecurringSchedule(first)).as("a taken id").isFalse();

        assertThat(store.findRecurringSchedule("s1")).contains(first);
        assertThat(store.findRecurringSchedule("nope")).isEmpty();
        assertThat(store.listRecurringSchedules("alice", null, 10).items()).extracting(RecurringSchedule::id)
                .containsExactly("s3", "s1");
        Page<RecurringSchedule> page = store.listRecurringSchedules(null, null, 2);
        assertThat(page.items()).extracting(RecurringSchedule::id).containsExactly("s3", "s2");
        assertThat(store.listRecurringSchedules(null, page.nextCursor(), 2).items()).extracting(RecurringSchedule::id)
                .containsExactly("s1");

        RecurringSchedule paused = store.updateRecurringSchedule(third.withState(RecurringScheduleState.PAUSED,
                T0.plusSeconds(3))).orElseThrow();
        assertThat(paused.version()).isEqualTo(1);
        assertThat(store.updateRecurringSchedule(third.withState(RecurringScheduleState.ACTIVE, T0.plusSeconds(4)))).isEmpty();
        assertThat(store.findRecurringSchedule("s3").orElseThrow().state()).isEqualTo(RecurringScheduleState.PAUSED);
        assertThat(store.deleteRecurringSchedule("s3", 0)).as("a stale version").isFalse();
        assertThat(store.deleteRecurringSchedule("s3", 1)).isTrue();
        assertThat(store.findRecurringSchedule("s3")).isEmpty();
    }

    @Test
    void dailyCapCounts_stayWithinTheLimit_perSystemAndDay() {
        java.time.LocalDate day = java.time.LocalDate.of(2030, 1, 15);
        assertThat(store.countAgainstDailyCap("sys", day, 60, 100)).isTrue();
        assertThat(store.countAgainstDailyCap("sys", day, 50, 100)).as("110 would pass 100").isFalse();
        assertThat(store.countAgainstDailyCap("sys", day, 40, 100)).as("exactly 100").isTrue();
        assertThat(store.countAgainstDailyCap("sys", day, 1, 100)).isFalse();
        assertThat(store.countAgainstDailyCap("sys", day.plusDays(1), 100, 100)).as("a new day").isTrue();
        assertThat(store.countAgainstDailyCap("other", day, 100, 100)).as("another system").isTrue();
        assertThat(store.countAgainstDailyCap("new", day, 101, 100)).as("more than the limit at once").isFalse();
    }

    @Test
    void occurrences_areRecordedOnce_listedLatestFirstInPages_andGoWithTheirSchedule() {
        RecurringSchedule schedule = newRecurringSchedule("s1", "alice", T0);
        newRecurringSchedule("s2", "alice", T0);
        for (int hour = 1; hour <= 3; hour++) {
            assertThat(store.insertOccurrence(new ScheduleOccurrence("s1", T0.plusSeconds(3600L * hour), "m" + hour, null,
                    T0))).isTrue();
        }
        ScheduleOccurrence other = new ScheduleOccurrence("s2", T0.plusSeconds(3600), null, "list 'l1' is gone", T0);
        assertThat(store.insertOccurrence(other)).isTrue();
        assertThat(store.insertOccurrence(new ScheduleOccurrence("s1", T0.plusSeconds(3600), "m9", null, T0)))
                .as("the same occurrence again").isFalse();

        assertThat(store.findOccurrence("s1", T0.plusSeconds(3600)).orElseThrow().messageId()).isEqualTo("m1");
        assertThat(store.findOccurrence("s2", T0.plusSeconds(3600))).contains(other);
        assertThat(store.findOccurrence("s1", T0)).isEmpty();
        Page<ScheduleOccurrence> first = store.listOccurrences("s1", null, 2);
        assertThat(first.items()).extracting(ScheduleOccurrence::messageId).containsExactly("m3", "m2");
        Page<ScheduleOccurrence> second = store.listOccurrences("s1", first.nextCursor(), 2);
        assertThat(second.items()).extracting(ScheduleOccurrence::messageId).containsExactly("m1");
        assertThat(second.nextCursor()).isNull();

        assertThat(store.deleteRecurringSchedule("s1", schedule.version())).isTrue();
        assertThat(store.listOccurrences("s1", null, 10).items()).isEmpty();
        assertThat(store.findOccurrence("s2", T0.plusSeconds(3600))).as("another schedule's").isPresent();
    }

    @Test
    void lists_areListedNewestFirst_byOwner_andChangedConditionally() {
        newList("l1", "alice", T0);
        newList("l2", "bob", T0.plusSeconds(1));
        AudienceList third = newList("l3", "alice", T0.plusSeconds(2));

        assertThat(store.listLists("alice", null, 10).items()).extracting(AudienceList::id).containsExactly("l3", "l1");
        Page<AudienceList> first = store.listLists(null, null, 2);
        assertThat(first.items()).extracting(AudienceList::id).containsExactly("l3", "l2");
        assertThat(store.listLists(null, first.nextCursor(), 2).items()).extracting(AudienceList::id).containsExactly("l1");

        AudienceList renamed = store.updateList(third.withName("Renamed", T0.plusSeconds(3))).orElseThrow();
        assertThat(renamed.version()).isEqualTo(1);
        assertThat(store.updateList(third.withName("Stale", T0.plusSeconds(4)))).isEmpty();
        assertThat(store.findList("l3").orElseThrow().name()).isEqualTo("Renamed");
    }

    @Test
    void aListIsDeleted_membersFirstInPortions_thenItsRecord() {
        AudienceList list = newList("l1", "alice", T0);
        List<ListMember> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(member("user" + i + "@example.com", null));
        }
        store.putMembers("l1", many);
        AudienceList deleting = store.updateList(list.withState(ListState.DELETING, T0)).orElseThrow();

        assertThat(store.removeSomeMembers("l1", 50)).isEqualTo(50);
        assertThat(store.findList("l1").orElseThrow().memberCount()).isEqualTo(10);
        assertThat(store.removeSomeMembers("l1", 50)).isEqualTo(10);
        assertThat(store.removeSomeMembers("l1", 50)).isZero();
        assertThat(store.deleteList("l1", list.version())).isFalse();
        assertThat(store.deleteList("l1", deleting.version())).isTrue();
        assertThat(store.findList("l1")).isEmpty();
        assertThat(store.listMembers("l1", null, 10).items()).isEmpty();
    }

    @Test
    void recipientData_keepsNestedValuesAndTypes() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 1, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        Map<String, Object> data = Map.of("orders", List.of(Map.of("item", "Tea", "qty", 2)), "vip", true, "name", "Zoë");
        Chunk chunk = new Chunk("m1", 0, List.of(new Recipient("zoe@example.com", "Zoë", data, null)),
                ChunkState.PENDING, null, T0, 0);

        store.createMessage(m.message(), List.of(chunk), m.task());

        assertThat(store.listChunks("m1").get(0).recipients().get(0).data()).isEqualTo(data);
    }

    @Test
    void updateChunk_recordsOutcomes_conditionallyOnVersion() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 3, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());
        Chunk chunk = store.listChunks("m1").get(0);
        List<Recipient> recipients = new ArrayList<>(chunk.recipients());
        recipients.set(0, recipients.get(0).withOutcome(Outcome.sent("ses-1", T0.plusSeconds(1))));
        recipients.set(1, recipients.get(1).withOutcome(Outcome.failed("MailboxUnavailable: 550", T0.plusSeconds(2))));

        Chunk saved = store.updateChunk(chunk.with(recipients, ChunkState.IN_FLIGHT, "run-1", T0.plusSeconds(3))).orElseThrow();
        boolean staleApplied = store.updateChunk(chunk.with(chunk.recipients(), ChunkState.DONE, null, T0)).isPresent();

        assertThat(staleApplied).isFalse();
        Chunk read = store.listChunks("m1").get(0);
        assertThat(read).usingRecursiveComparison().isEqualTo(saved);
        assertThat(read.state()).isEqualTo(ChunkState.IN_FLIGHT);
        assertThat(read.runId()).isEqualTo("run-1");
        assertThat(read.recipients().get(0).outcome()).isEqualTo(Outcome.sent("ses-1", T0.plusSeconds(1)));
        assertThat(read.recipients().get(1).outcome().error()).isEqualTo("MailboxUnavailable: 550");
        assertThat(read.recipients().get(2).isPending()).isTrue();
    }

    @Test
    void aChunkIsFoundByIndex_withItsFeedbackHistory_andItsFeedbackTallyIsKeptBesideTheMessage_newestVersionWinning() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 250, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());
        Chunk chunk = store.findChunk("m1", 1).orElseThrow();
        List<Recipient> recipients = new ArrayList<>(chunk.recipients());
        FeedbackEntry bounce = new FeedbackEntry(FeedbackKind.PERMANENT_BOUNCE, T0.plusSeconds(9), "General 5.1.1");
        recipients.set(3, recipients.get(3).withFeedback(bounce,
                new Outcome(RecipientState.BOUNCED, "ses-3", "General 5.1.1", T0.plusSeconds(9))));
        Chunk saved = store.updateChunk(chunk.with(recipients, ChunkState.DONE, null, T0.plusSeconds(10))).orElseThrow();
        store.putFeedbackTally("m1", 1, FeedbackTally.of(saved));
        store.putFeedbackTally("m1", 1, FeedbackTally.of(chunk)); // older: an out-of-order retry, ignored
        store.putFeedbackTally("m1", 2, new FeedbackTally(4, new Counts(100, 0, 100, 0, 0, 0, 0, 0, 97, 2, 1, 0)));
        Fixtures.StoredMessage other = Fixtures.message("m2", "alice", "sys", 10, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(other.message(), other.chunks(), other.task());
        store.putFeedbackTally("m2", 0, new FeedbackTally(2, new Counts(10, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 10)));

        assertThat(chunk.index()).isEqualTo(1);
        assertThat(store.findChunk("m1", 1).orElseThrow().recipients().get(3).feedback()).containsExactly(bounce);
        assertThat(store.findChunk("m1", 1).orElseThrow().recipients().get(3).state()).isEqualTo(RecipientState.BOUNCED);
        assertThat(store.findChunk("m1", 3)).isEmpty();
        assertThat(store.findChunk("nope", 0)).isEmpty();
        Counts feedback = store.feedbackCounts("m1");
        assertThat(List.of(feedback.delivered(), feedback.bounced(), feedback.complained(), feedback.rejected()))
                .containsExactly(97, 3, 1, 0);
        assertThat(store.feedbackCounts("m2").rejected()).isEqualTo(10);
        assertThat(store.feedbackCounts("nope")).isEqualTo(Counts.ZERO);
    }

    @Test
    void updateTask_isAConditionalClaim_onlyOneOfTwoConcurrentClaimsWins() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 1, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());
        Task read = store.findTask(m.task().id()).orElseThrow();

        boolean first = store.updateTask(read.withState(TaskState.RUNNING, "run-a", T0.plusSeconds(60), T0)).isPresent();
        boolean second = store.updateTask(read.withState(TaskState.RUNNING, "run-b", T0.plusSeconds(60), T0)).isPresent();

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        Task stored = store.findTask(m.task().id()).orElseThrow();
        assertThat(stored.runId()).isEqualTo("run-a");
        assertThat(stored.leaseUntil()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void listTasksByState_returnsOnlyThoseStates_soonestFirst() {
        for (int i = 0; i < 3; i++) {
            Fixtures.StoredMessage m = Fixtures.message("m" + i, "alice", "sys", 1, 100, T0, T0.plusSeconds(30 - i * 10),
                    DeliveryGuarantee.AT_LEAST_ONCE);
            store.createMessage(m.message(), m.chunks(), m.task());
        }
        Task done = store.findTask("task-m1").orElseThrow();
        store.updateTask(done.withState(TaskState.DONE, null, null, T0));

        assertThat(store.listTasksByState(Set.of(TaskState.ARMED, TaskState.PENDING)))
                .extracting(Task::id).containsExactly("task-m2", "task-m0");
        assertThat(store.listTasksByState(Set.of(TaskState.DONE))).extracting(Task::id).containsExactly("task-m1");
        assertThat(store.listTasksByState(Set.of(TaskState.ARMED, TaskState.PENDING), T0.plusSeconds(30)))
                .as("due up to and including the bound").extracting(Task::id).containsExactly("task-m2", "task-m0");
        assertThat(store.listTasksByState(Set.of(TaskState.ARMED, TaskState.PENDING), T0.plusSeconds(29)))
                .extracting(Task::id).containsExactly("task-m2");
        assertThat(store.listTasksByState(Set.of(TaskState.ARMED, TaskState.PENDING), T0.plusSeconds(9))).isEmpty();
    }

    @Test
    void listMessages_newestFirst_pagedWithCursor_filteredByOwnerAndStatus() {
        for (int i = 0; i < 5; i++) {
            String owner = i % 2 == 0 ? "alice" : "bob";
            Fixtures.StoredMessage m = Fixtures.message("m" + i, owner, "sys", 1, 100, T0.plusSeconds(i), T0,
                    DeliveryGuarantee.AT_LEAST_ONCE);
            store.createMessage(m.message(), m.chunks(), m.task());
        }
        Message m4 = store.findMessage("m4").orElseThrow();
        store.updateMessage(m4.withStatus(MessageStatus.SENT, T0));

        Page<Message> first = store.listMessages(new MessageQuery(null, null, 2, null));
        Page<Message> second = store.listMessages(new MessageQuery(null, null, 2, first.nextCursor()));
        Page<Message> third = store.listMessages(new MessageQuery(null, null, 2, second.nextCursor()));

        assertThat(first.items()).extracting(Message::id).containsExactly("m4", "m3");
        assertThat(second.items()).extracting(Message::id).containsExactly("m2", "m1");
        assertThat(third.items()).extracting(Message::id).containsExactly("m0");
        assertThat(third.nextCursor()).isNull();
        assertThat(store.listMessages(new MessageQuery("alice", null, 10, null)).items())
                .extracting(Message::id).containsExactly("m4", "m2", "m0");
        assertThat(store.listMessages(new MessageQuery("alice", MessageStatus.SCHEDULED, 10, null)).items())
                .extracting(Message::id).containsExactly("m2", "m0");
    }

    @Test
    void hasUnfinishedMessages_seesScheduledSendingAndPausedOnly() {
        Fixtures.StoredMessage m = Fixtures.message("m1", "alice", "sys", 1, 100, T0, T0, DeliveryGuarantee.AT_LEAST_ONCE);
        store.createMessage(m.message(), m.chunks(), m.task());

        assertThat(store.hasUnfinishedMessages("sys")).isTrue();
        assertThat(store.hasUnfinishedMessages("other")).isFalse();
        store.updateMessage(store.findMessage("m1").orElseThrow().withStatus(MessageStatus.PAUSED, T0));
        assertThat(store.hasUnfinishedMessages("sys")).as("a paused message goes on once resumed").isTrue();
        store.updateMessage(store.findMessage("m1").orElseThrow().withStatus(MessageStatus.SENT, T0));
        assertThat(store.hasUnfinishedMessages("sys")).isFalse();
    }

    @Test
    void runs_areInsertedUpdatedAndListedOldestFirst() {
        Run later = new Run("r2", "t", "m1", Trigger.CONTINUATION, RunStatus.RUNNING, T0, T0.plusSeconds(10), null,
                0, 0, 0, null, 0, 0);
        Run earlier = new Run("r1", "t", "m1", Trigger.SCHEDULE, RunStatus.RUNNING, T0, T0.plusSeconds(1), null,
                0, 0, 0, null, 0, 0);
        store.insertRun(later);
        store.insertRun(earlier);

        Run finished = store.updateRun(earlier.finish(RunStatus.CONTINUED, 5, 1, 0, null, T0.plusSeconds(9))).orElseThrow();

        assertThat(store.listRuns("m1")).extracting(Run::id).containsExactly("r1", "r2");
        assertThat(store.listRuns("m1").get(0)).usingRecursiveComparison().isEqualTo(finished);
        assertThat(store.updateRun(earlier.finish(RunStatus.FAILED, 0, 0, 0, "x", T0))).isEmpty();
    }

    @Test
    void idempotencyRecord_isStoredOncePerCallerAndKey() {
        IdempotencyRecord record = new IdempotencyRecord("alice", "key-1", "hash-a", "m1", T0, T0.plus(Duration.ofHours(24)));

        assertThat(store.insertIdempotencyRecord(record)).isTrue();
        assertThat(store.insertIdempotencyRecord(new IdempotencyRecord("alice", "key-1", "hash-b", "m2", T0, T0))).isFalse();
        assertThat(store.insertIdempotencyRecord(new IdempotencyRecord("bob", "key-1", "hash-b", "m3", T0, T0))).isTrue();
        assertThat(store.findIdempotencyRecord("alice", "key-1").orElseThrow()).isEqualTo(record);
        assertThat(store.findIdempotencyRecord("alice", "key-2")).isEmpty();
    }

    private static Suppression suppression(String system, String address, SuppressionReason reason, String messageId) {
        return new Suppression(system, address, reason, T0, messageId);
    }

    @Test
    void suppressions_anAddressKeepsItsFirstEntry_andEachSystemHasItsOwnList() {
        assertThat(store.addSuppressions(List.of(suppression("news", "ann@example.com", SuppressionReason.BOUNCED, "m1"),
                suppression("news", "bob@example.com", SuppressionReason.MANUAL, null)))).isEqualTo(2);
        assertThat(store.addSuppressions(List.of(suppression("news", "ann@example.com", SuppressionReason.MANUAL, null),
                suppression("news", "cyd@example.com", SuppressionReason.UNSUBSCRIBED, "m2"),
                suppression("alerts", "ann@example.com", SuppressionReason.COMPLAINED, "m3")))).isEqualTo(2);

        Map<String, Suppression> found = store.findSuppressions("news",
                List.of("ann@example.com", "bob@example.com", "cyd@example.com", "dan@example.com"));

        assertThat(found).containsOnlyKeys("ann@example.com", "bob@example.com", "cyd@example.com");
        assertThat(found.get("ann@example.com")).isEqualTo(suppression("news", "ann@example.com", SuppressionReason.BOUNCED, "m1"));
        assertThat(found.get("bob@example.com").messageId()).isNull();
        assertThat(store.findSuppressions("alerts", List.of("ann@example.com", "bob@example.com")))
                .containsOnlyKeys("ann@example.com");
        assertThat(store.findSuppressions("other", List.of("ann@example.com"))).isEmpty();
        assertThat(store.findSuppressions("news", List.of())).isEmpty();
    }

    @Test
    void suppressions_areFoundByARangeOfAddresses_bothEndsIncluded_onTheirSystemsListOnly() {
        store.addSuppressions(List.of(suppression("news", "ann@example.com", SuppressionReason.BOUNCED, "m1"),
                suppression("news", "bob@example.com", SuppressionReason.MANUAL, null),
                suppression("news", "cyd@example.com", SuppressionReason.MANUAL, null),
                suppression("news", "dan@example.com", SuppressionReason.MANUAL, null),
                suppression("alerts", "bob@example.com", SuppressionReason.MANUAL, null)));

        assertThat(store.findSuppressionsBetween("news", "bob@example.com", "cyd@example.com")).containsOnlyKeys(
                "bob@example.com", "cyd@example.com");
        assertThat(store.findSuppressionsBetween("news", "b", "c").keySet()).containsExactly("bob@example.com");
        assertThat(store.findSuppressionsBetween("news", "e", "z")).isEmpty();
        assertThat(store.findSuppressionsBetween("alerts", "a", "z").get("bob@example.com").reason())
                .isEqualTo(SuppressionReason.MANUAL);
    }

    @Test
    void suppressions_areListedByAddress_pageByPage() {
        List<Suppression> entries = new ArrayList<>();
        for (String name : List.of("gus", "ann", "fay", "cyd", "eve", "bob", "dan")) {
            entries.add(suppression("news", name + "@example.com", SuppressionReason.MANUAL, null));
        }
        store.addSuppressions(entries);
        store.addSuppressions(List.of(suppression("alerts", "abe@example.com", SuppressionReason.MANUAL, null)));

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Suppression> page = store.listSuppressions("news", cursor, 3);
            page.items().forEach(entry -> listed.add(entry.address()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(listed).containsExactly("ann@example.com", "bob@example.com", "cyd@example.com", "dan@example.com",
                "eve@example.com", "fay@example.com", "gus@example.com");
        assertThat(pages).isEqualTo(3);
        assertThat(store.listSuppressions("empty", null, 3).items()).isEmpty();
        assertThatThrownBy(() -> store.listSuppressions("news", "not-a-cursor", 3))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).singleElement()
                        .extracting(error -> error.field()).isEqualTo("cursor"));
    }

    @Test
    void suppressions_areRemovedAtOnce_andCanBeAddedAgain() {
        store.addSuppressions(List.of(suppression("news", "ann@example.com", SuppressionReason.UNSUBSCRIBED, "m1")));

        assertThat(store.removeSuppression("news", "ann@example.com")).isTrue();
        assertThat(store.removeSuppression("news", "ann@example.com")).isFalse();
        assertThat(store.findSuppressions("news", List.of("ann@example.com"))).isEmpty();
        assertThat(store.addSuppressions(List.of(suppression("news", "ann@example.com", SuppressionReason.MANUAL, null))))
                .isEqualTo(1);
    }

    @Test
    void suppressions_manyAtOnce_areAddedAndFoundWhole() {
        List<Suppression> entries = new ArrayList<>();
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            entries.add(suppression("news", "user" + i + "@example.com", SuppressionReason.MANUAL, null));
        }
        for (int i = 0; i < 300; i++) {
            asked.add("user" + (i * 5) + "@example.com"); // 200 of them on the list, 100 beyond it
        }

        assertThat(store.addSuppressions(entries)).isEqualTo(1_000);
        assertThat(store.addSuppressions(entries.subList(990, 1_000))).isZero();
        assertThat(store.findSuppressions("news", asked)).hasSize(200);
    }
}
