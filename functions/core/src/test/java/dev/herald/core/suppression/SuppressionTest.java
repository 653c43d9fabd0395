package dev.herald.core.suppression;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.ForbiddenException;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Suppression lists: kept by admins, checked when a message is sent, never at intake. */
class SuppressionTest {

    private final Harness h = new Harness(); // chunks of 10

    private Message message(String taskId) {
        return h.store.findMessage(h.store.findTask(taskId).orElseThrow().messageId()).orElseThrow();
    }

    private List<Recipient> recipients(String taskId) {
        return h.store.listChunks(message(taskId).id()).stream().flatMap(c -> c.recipients().stream()).toList();
    }

    @Test
    void aSuppressedRecipient_isNotSent_andIsRecordedSuppressed_notFailed_evenWhenListedAfterScheduling() {
        h.suppressions.add(Harness.ADMIN, "outbox", List.of("user3@example.com"));
        String taskId = h.scheduleInAMinute(25, null);
        h.suppressions.add(Harness.ADMIN, "outbox", List.of("USER7@Example.COM")); // after intake, in another case
        h.clock.advance(Duration.ofSeconds(60));

        h.fire(taskId);

        assertThat(h.transport.delivered).hasSize(23).extracting(m -> m.to().email())
                .doesNotContain("user3@example.com", "user7@example.com");
        Message message = message(taskId);
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().suppressed()).isEqualTo(2);
        assertThat(message.counts().failed()).isZero();
        assertThat(message.counts().pending()).isZero();
        assertThat(recipients(taskId)).filteredOn(r -> r.state() == RecipientState.SUPPRESSED)
                .extracting(Recipient::email).containsExactly("user3@example.com", "user7@example.com");
        assertThat(recipients(taskId).get(3).outcome().error()).startsWith("Suppressed: on the suppression list since")
                .contains("MANUAL");
    }

    @Test
    void theListIsReadOncePerChunk_notOncePerRecipient() {
        String taskId = h.scheduleInAMinute(25, null);
        h.clock.advance(Duration.ofSeconds(60));
        int before = h.store.suppressionLookups();

        h.fire(taskId);

        assertThat(h.store.suppressionLookups() - before).isEqualTo(3);
    }

    @Test
    void eachMessageSystemHasItsOwnList() {
        h.systems.create(Harness.ADMIN, new MessageSystemSpec("alerts", "Alerts", true, "outbox", "alerts@example.com",
                null, null, 100.0, null, null, null, null));
        h.suppressions.add(Harness.ADMIN, "alerts", List.of("user0@example.com"));
        String taskId = h.scheduleInAMinute(2, null);
        h.clock.advance(Duration.ofSeconds(60));

        h.fire(taskId);

        assertThat(h.transport.delivered).hasSize(2);
    }

    @Test
    void aMessageWhoseEveryRecipientIsSuppressed_endsSent_withNothingSentAndNothingFailed() {
        h.suppressions.add(Harness.ADMIN, "outbox", List.of("user0@example.com", "user1@example.com"));
        String taskId = h.scheduleInAMinute(2, null);
        h.clock.advance(Duration.ofSeconds(60));

        h.fire(taskId);

        assertThat(h.transport.delivered).isEmpty();
        assertThat(message(taskId).status()).isEqualTo(MessageStatus.SENT);
        assertThat(message(taskId).counts().suppressed()).isEqualTo(2);
    }

    @Test
    void addingByHand_keepsAnEarlierEntry_andCountsWhatItAdded() {
        h.store.addSuppressions(List.of(new Suppression("outbox", "ann@example.com", SuppressionReason.BOUNCED,
                h.clock.instant(), "m1")));

        SuppressionService.Added added = h.suppressions.add(Harness.ADMIN, "outbox",
                List.of("Ann@example.com", "bob@example.com", "ann@bücher.example"));

        assertThat(added).isEqualTo(new SuppressionService.Added(2, 1));
        assertThat(h.suppressions.get(Harness.ADMIN, "outbox", "ANN@example.com").reason()).isEqualTo(SuppressionReason.BOUNCED);
        assertThat(h.suppressions.get(Harness.ADMIN, "outbox", "ann@xn--bcher-kva.example").reason())
                .isEqualTo(SuppressionReason.MANUAL);
        assertThat(h.suppressions.addOne(Harness.ADMIN, "outbox", "ann@example.com").messageId()).isEqualTo("m1");
        assertThat(h.suppressions.list(Harness.ADMIN, "outbox", null, 10).items()).extracting(Suppression::address)
                .containsExactly("ann@example.com", "ann@xn--bcher-kva.example", "bob@example.com");
    }

    @Test
    void everyAddressIsCheckedAsEverywhereInHerald_andEachOneAtFaultIsNamed() {
        assertThatThrownBy(() -> h.suppressions.add(Harness.ADMIN, "outbox",
                List.of("ok@example.com", "not-an-address", "ann@-example.com", "zoë@example.com")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("addresses[1]", "addresses[2]", "addresses[3]"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= SuppressionService.MAX_ADDRESSES_PER_CALL; i++) {
            tooMany.add("u" + i + "@example.com");
        }
        assertThatThrownBy(() -> h.suppressions.add(Harness.ADMIN, "outbox", tooMany))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("addresses"));
        assertThatThrownBy(() -> h.suppressions.add(Harness.ADMIN, "outbox", List.of()))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> h.suppressions.remove(Harness.ADMIN, "outbox", "a\nb@example.com"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("address"));
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).isEmpty();
    }

    @Test
    void onlyAdmins_ofAnExistingSystem_seeOrChangeAList() {
        assertThatThrownBy(() -> h.suppressions.list(Harness.ALICE, "outbox", null, 10)).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> h.suppressions.add(Harness.ALICE, "outbox", List.of("a@example.com")))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> h.suppressions.list(Harness.ADMIN, "nope", null, 10)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> h.suppressions.remove(Harness.ADMIN, "outbox", "a@example.com"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> h.suppressions.get(Harness.ADMIN, "outbox", "a@example.com"))
                .isInstanceOf(NotFoundException.class);
    }
}
