package dev.herald.core.audience;

import dev.herald.core.dispatch.Deadline;
import dev.herald.core.dispatch.DispatchResult;
import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.ListState;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Trigger;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Audience lists: kept by their owners, copied into a message when it first fires, minus suppressions, then frozen. */
class ListTest {

    private final Harness h = new Harness(); // chunks of 10

    private static List<MemberInput> members(int from, int count) {
        List<MemberInput> members = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            members.add(new MemberInput(String.format("member%04d@example.com", i), "Member " + i, Map.of("n", i), null));
        }
        return members;
    }

    private AudienceList listOf(int members) {
        AudienceList list = h.lists.create(Harness.ALICE, "outbox", "Newsletter");
        for (int from = 0; from < members; from += 1_000) {
            h.lists.putMembers(Harness.ALICE, list.id(), members(from, Math.min(1_000, members - from)));
        }
        return list;
    }

    private String scheduleToList(String listId) {
        ScheduleRequest request = new ScheduleRequest("outbox", "Hello {{name}}", "Hi {{name}} #{{n}}", null, null,
                h.clock.instant().plusSeconds(60).toString(), "Europe/Paris", null, null, listId);
        return h.schedule.schedule(Harness.ALICE, request, null, null).view().message().id();
    }

    private String taskOf(String messageId) {
        return h.store.listTasks(messageId).get(0).id();
    }

    private Message message(String id) {
        return h.store.findMessage(id).orElseThrow();
    }

    private List<String> recipientsOf(String messageId) {
        return h.store.listChunks(messageId).stream().flatMap(c -> c.recipients().stream()).map(Recipient::email).toList();
    }

    @Test
    void members_areKeyedByAddress_updatedWhenAddedAgain_pagedAndRemoved() {
        AudienceList list = h.lists.create(Harness.ALICE, "outbox", "Customers");

        ListService.Put first = h.lists.putMembers(Harness.ALICE, list.id(), List.of(
                new MemberInput("Ann@EXAMPLE.com", "Ann", Map.of("plan", "pro"), "Europe/Vienna"),
                new MemberInput("bob@example.com", null, null, null)));
        ListService.Put second = h.lists.putMembers(Harness.ALICE, list.id(), List.of(
                new MemberInput("ann@example.com", "Ann B.", Map.of(), null),
                new MemberInput("cyd@example.com", "Cyd", null, "America/New_York")));

        assertThat(first).isEqualTo(new ListService.Put(2, 0));
        assertThat(second).isEqualTo(new ListService.Put(1, 1));
        assertThat(h.lists.get(Harness.ALICE, list.id()).memberCount()).isEqualTo(3);
        assertThat(h.lists.members(Harness.ALICE, list.id(), null, 2).items()).extracting(ListMember::email)
                .containsExactly("ann@example.com", "bob@example.com");
        assertThat(h.lists.members(Harness.ALICE, list.id(), null, 10).items().get(0).name()).isEqualTo("Ann B.");
        assertThat(h.lists.removeMembers(Harness.ALICE, list.id(), List.of("ANN@example.com", "zed@example.com"))).isEqualTo(1);
        assertThat(h.lists.get(Harness.ALICE, list.id()).memberCount()).isEqualTo(2);
        AudienceList renamed = h.lists.rename(Harness.ALICE, list.id(), "Customers 2031");
        assertThat(renamed.name()).isEqualTo("Customers 2031");
        assertThat(renamed.memberCount()).isEqualTo(2);
        assertThatThrownBy(() -> h.lists.rename(Harness.ALICE, list.id(), "\u001b[31m"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("name"));
        assertThatThrownBy(() -> h.lists.rename(Harness.BOB, list.id(), "Mine")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPageWithAnyFault_namesEveryField_andWritesNothing() {
        AudienceList list = h.lists.create(Harness.ALICE, "outbox", "Customers");

        assertThatThrownBy(() -> h.lists.putMembers(Harness.ALICE, list.id(), List.of(
                new MemberInput("good@example.com", null, null, null),
                new MemberInput("not-an-address", null, null, null),
                new MemberInput("GOOD@example.com", null, null, "+02:00"),
                new MemberInput("eve@example.com", "Eve\r\nBcc: x@example.com", null, null))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("members[1].email", "members[2].email", "members[2].timeZone", "members[3].name"));
        assertThat(h.lists.get(Harness.ALICE, list.id()).memberCount()).isZero();
        assertThatThrownBy(() -> h.lists.create(Harness.ALICE, "nowhere", " "))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("name", "messageSystem"));
    }

    @Test
    void aSenderSeesOnlyItsOwnLists_anAdminSeesAll() {
        AudienceList alices = h.lists.create(Harness.ALICE, "outbox", "Alice's");
        h.lists.create(Harness.BOB, "outbox", "Bob's");

        assertThatThrownBy(() -> h.lists.get(Harness.BOB, alices.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> h.lists.putMembers(Harness.BOB, alices.id(), members(0, 1))).isInstanceOf(NotFoundException.class);
        assertThat(h.lists.list(Harness.ALICE, null, 10).items()).extracting(AudienceList::name).containsExactly("Alice's");
        assertThat(h.lists.list(Harness.ADMIN, null, 10).items()).hasSize(2);
        ScheduleRequest bobsMessage = new ScheduleRequest("outbox", "Hi", "Hi", null, null, null, null, null, null, alices.id());
        assertThatThrownBy(() -> h.schedule.schedule(Harness.BOB, bobsMessage, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("list"));
    }

    @Test
    void aMessageNamesEitherRecipientsOrAList_ofItsOwnMessageSystem() {
        AudienceList list = listOf(3);
        ScheduleRequest both = new ScheduleRequest("outbox", "Hi", "Hi", null, Harness.recipients(2), null, null, null, null,
                list.id());
        ScheduleRequest unknown = new ScheduleRequest("outbox", "Hi", "Hi", null, null, null, null, null, null, "nope");

        assertThatThrownBy(() -> h.schedule.schedule(Harness.ALICE, both, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("recipients"));
        assertThatThrownBy(() -> h.schedule.schedule(Harness.ALICE, unknown, null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("list"));
        assertThat(h.store.listMessages(new dev.herald.core.port.MessageQuery(null, null, 10, null)).items()).isEmpty();
    }

    @Test
    void theListIsResolvedWhenTheMessageFirstFires_itsSuppressedMembersSparedAsEveryRecipientIs() {
        AudienceList list = listOf(25);
        h.suppressions.add(Harness.ADMIN, "outbox", List.of("member0003@example.com"));
        String messageId = scheduleToList(list.id());
        assertThat(message(messageId).counts().total()).isZero();
        // Changes before the first firing count: one member more, one suppressed more, one removed.
        h.lists.putMembers(Harness.ALICE, list.id(), members(25, 1));
        h.suppressions.add(Harness.ADMIN, "outbox", List.of("MEMBER0007@example.com"));
        h.lists.removeMembers(Harness.ALICE, list.id(), List.of("member0000@example.com"));
        h.clock.advance(Duration.ofSeconds(60));

        DispatchResult result = h.fire(taskOf(messageId));

        assertThat(result.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        Message sent = message(messageId);
        assertThat(sent.status()).isEqualTo(MessageStatus.SENT);
        assertThat(sent.counts().total()).isEqualTo(25);
        assertThat(sent.counts().sent()).isEqualTo(23);
        assertThat(sent.counts().suppressed()).isEqualTo(2);
        assertThat(sent.audience().resolved()).isTrue();
        assertThat(h.transport.delivered).hasSize(23).extracting(m -> m.to().email())
                .doesNotContain("member0000@example.com", "member0003@example.com", "member0007@example.com")
                .contains("member0025@example.com");
        assertThat(h.transport.delivered.get(0).subject()).isEqualTo("Hello Member 1");
        assertThat(h.store.listChunks(messageId)).extracting(c -> c.recipients().size()).containsExactly(10, 10, 5);
        assertThat(h.store.suppressionLookups()).as("one lookup a chunk, when it is sent").isEqualTo(3);
        assertThat(h.store.rangeLookups()).as("a chunk of a list holds its recipients in address order").isEqualTo(3);
    }

    @Test
    void aRunNearItsDeadline_checkpointsThePartlyCopiedList_andTheContinuationCopiesOnFromThere_frozenOnceCopied() {
        AudienceList list = listOf(250); // 25 chunks: three copy steps of 10
        String messageId = scheduleToList(list.id());
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger budget = new AtomicInteger(1);
        Deadline shortDeadline = () -> budget.getAndDecrement() > 0 ? Duration.ofMinutes(5) : Duration.ofSeconds(1);

        DispatchResult first = h.dispatch.dispatch(new FireRequest(taskOf(messageId), Trigger.SCHEDULE, null), shortDeadline);

        assertThat(first.outcome()).isEqualTo(DispatchResult.Outcome.CONTINUED);
        Message partly = message(messageId);
        assertThat(partly.audience().resolved()).isFalse();
        assertThat(partly.chunkCount()).isEqualTo(10);
        assertThat(partly.counts().total()).isEqualTo(100);
        assertThat(partly.counts().pending()).isEqualTo(100);
        assertThat(h.transport.delivered).isEmpty();

        DispatchResult second = h.dispatch.dispatch(new FireRequest(taskOf(messageId), Trigger.IMMEDIATE, null), Deadline.none());
        h.lists.putMembers(Harness.ALICE, list.id(), members(1_000, 5));

        assertThat(second.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        Message sent = message(messageId);
        assertThat(sent.counts().sent()).isEqualTo(250);
        assertThat(sent.counts().total()).isEqualTo(250);
        assertThat(recipientsOf(messageId)).doesNotHaveDuplicates().hasSize(250);
        assertThat(h.transport.delivered).hasSize(250);
        assertThat(h.store.listRuns(messageId)).extracting(r -> r.status()).containsExactly(RunStatus.CONTINUED, RunStatus.COMPLETED);
    }

    @Test
    void aCopyThatDiedPartWay_isCopiedOnFromItsLastRecord_withoutCountingTheChunksItWroteAfter() {
        AudienceList list = listOf(250);
        String messageId = scheduleToList(list.id());
        h.clock.advance(Duration.ofSeconds(60));
        // The run dies right after it wrote the chunks of its second step, before the message write recording them.
        int writesBeforeTheSecondStep = 1 /* claim */ + 1 /* run */ + 1 /* SENDING */ + 1 /* chunks */ + 1 /* message */;
        h.store.crashAfterWrites(writesBeforeTheSecondStep + 1);
        assertThatThrownBy(() -> h.fire(taskOf(messageId))).isInstanceOf(RuntimeException.class);
        assertThat(message(messageId).chunkCount()).isEqualTo(10);
        assertThat(h.store.findChunk(messageId, 19)).isPresent();
        h.lists.removeMembers(Harness.ALICE, list.id(), List.of("member0100@example.com")); // not yet copied: counts

        h.clock.advance(Duration.ofMinutes(10)); // the claim expires
        DispatchResult recovery = h.dispatch.dispatch(new FireRequest(taskOf(messageId), Trigger.RECOVERY, null), Deadline.none());

        assertThat(recovery.outcome()).isEqualTo(DispatchResult.Outcome.COMPLETED);
        Message sent = message(messageId);
        assertThat(sent.counts().total()).isEqualTo(249);
        assertThat(sent.counts().sent()).isEqualTo(249);
        assertThat(recipientsOf(messageId)).doesNotHaveDuplicates().hasSize(249).doesNotContain("member0100@example.com");
    }

    @Test
    void aMessageCancelledBeforeItFires_copiesNothing_andOneWhoseListWasDeleted_fails() {
        AudienceList kept = listOf(5);
        AudienceList deleted = listOf(5);
        String cancelled = scheduleToList(kept.id());
        String orphaned = scheduleToList(deleted.id());
        h.lifecycle.cancel(Harness.ALICE, cancelled);
        assertThat(h.lists.delete(Harness.ALICE, deleted.id())).isTrue();
        h.clock.advance(Duration.ofSeconds(60));

        h.fire(taskOf(orphaned));

        assertThat(message(cancelled).status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(message(cancelled).chunkCount()).isZero();
        Message failed = message(orphaned);
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(h.store.listRuns(orphaned).get(0).error()).startsWith("ListMissing");
        assertThat(h.transport.delivered).isEmpty();
    }

    @Test
    void deletingALargeList_goesOnAcrossRequests_andTheListTakesNothingMeanwhile() {
        ListService impatient = new ListService(h.store, h.clock, h.ids, Duration.ZERO);
        AudienceList list = listOf(2_500);

        assertThat(impatient.delete(Harness.ALICE, list.id())).isFalse();
        AudienceList deleting = h.lists.get(Harness.ALICE, list.id());
        assertThat(deleting.state()).isEqualTo(ListState.DELETING);
        assertThat(deleting.memberCount()).isEqualTo(1_500);
        assertThatThrownBy(() -> h.lists.putMembers(Harness.ALICE, list.id(), members(0, 1))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> scheduleToList(list.id())).isInstanceOf(ValidationException.class);

        assertThat(h.lists.delete(Harness.ALICE, list.id())).isTrue();
        assertThatThrownBy(() -> h.lists.get(Harness.ALICE, list.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aDeletionNoOneRepeats_isFinishedByTheSweep_andListsInUseAreLeftAlone() {
        ListService impatient = new ListService(h.store, h.clock, h.ids, Duration.ZERO);
        AudienceList abandoned = listOf(2_500);
        AudienceList kept = listOf(3);
        assertThat(impatient.delete(Harness.ALICE, abandoned.id())).isFalse();

        assertThat(impatient.continueDeletions()).as("a budget of nothing removes one portion").isZero();
        assertThat(h.lists.continueDeletions()).isEqualTo(1);

        assertThatThrownBy(() -> h.lists.get(Harness.ALICE, abandoned.id())).isInstanceOf(NotFoundException.class);
        assertThat(h.lists.get(Harness.ALICE, kept.id()).memberCount()).isEqualTo(3);
    }

    @Test
    void cancellingWhileTheListIsCopied_stopsTheCopy_andRecordsTheCopiedRecipientsCancelled() {
        AudienceList list = listOf(250);
        String messageId = scheduleToList(list.id());
        h.clock.advance(Duration.ofSeconds(60));
        AtomicInteger budget = new AtomicInteger(1);
        Deadline shortDeadline = () -> budget.getAndDecrement() > 0 ? Duration.ofMinutes(5) : Duration.ofSeconds(1);
        h.dispatch.dispatch(new FireRequest(taskOf(messageId), Trigger.SCHEDULE, null), shortDeadline);

        h.lifecycle.cancel(Harness.ALICE, messageId);
        h.dispatch.dispatch(new FireRequest(taskOf(messageId), Trigger.IMMEDIATE, null), Deadline.none());

        Message cancelled = message(messageId);
        assertThat(cancelled.status()).isEqualTo(MessageStatus.CANCELLED);
        assertThat(cancelled.counts().total()).isEqualTo(cancelled.counts().cancelled());
        assertThat(cancelled.counts().pending()).isZero();
        assertThat(h.store.listChunks(messageId)).allMatch(c -> c.recipients().stream().noneMatch(Recipient::isPending));
        assertThat(h.transport.delivered).isEmpty();
        assertThat(h.store.listChunks(messageId)).extracting(Chunk::index).hasSize(cancelled.chunkCount());
    }
}
