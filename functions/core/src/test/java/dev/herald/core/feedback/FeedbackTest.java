package dev.herald.core.feedback;

import dev.herald.core.model.Counts;
import dev.herald.core.model.FeedbackEntry;
import dev.herald.core.model.FeedbackKind;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SES's reports of sent mail, from the documentation's event records, recorded per recipient. */
class FeedbackTest {

    private final Harness h = new Harness(); // chunks of 10
    private final SesEvents events = new SesEvents();
    private final FeedbackService feedback = new FeedbackService(h.store, h.clock);
    private String messageId;

    /** A sample from {@code infra/events/ses}, for recipient {@code n} of the message sent in {@link #send}. */
    private DeliveryReport report(String fixture, int n) {
        String mail = h.store.listChunks(messageId).get(n / 10).recipients().get(n % 10).outcome().providerMessageId();
        String event = read(fixture).replace("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000", mail)
                .replace("recipient@example.com", "user" + n + "@example.com")
                .replace("REPLACE-WITH-A-MESSAGE-SYSTEM-ID", "outbox")
                .replace("REPLACE-WITH-A-MESSAGE-ID", messageId)
                .replaceFirst("(\"herald-chunk\": \\[\\s*\")0\"", "$1" + n / 10 + "\"");
        return events.read(event).orElseThrow();
    }

    static String read(String fixture) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("infra/events/ses").resolve(fixture);
            if (Files.isRegularFile(file)) {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("infra/events/ses/" + fixture + " not found");
    }

    @BeforeEach
    void send() {
        String taskId = h.scheduleInAMinute(25, null);
        messageId = h.store.findTask(taskId).orElseThrow().messageId();
        h.clock.advance(Duration.ofSeconds(60));
        h.fire(taskId);
    }

    /** The message's counts as a caller reads them, with what the provider reported. */
    private Counts counts() {
        return message().counts().withFeedbackOf(h.store.feedbackCounts(message().id()));
    }

    private Message message() {
        return h.store.findMessage(messageId).orElseThrow();
    }

    private Recipient recipient(int n) {
        return h.store.listChunks(messageId).get(n / 10).recipients().get(n % 10);
    }

    @Test
    void theDocumentationsRecords_readAsReports_withoutAnAddressInTheirDetail() {
        assertThat(events.read(read("bounce.json")).orElseThrow()).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(FeedbackKind.PERMANENT_BOUNCE);
            assertThat(r.providerMessageId()).isEqualTo("EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000");
            assertThat(r.addresses()).containsExactly("recipient@example.com");
            assertThat(r.at()).isEqualTo(Instant.parse("2017-08-05T00:41:02.669Z"));
            assertThat(r.detail()).isEqualTo("Permanent/General 5.1.1");
            assertThat(r.messageId()).isEqualTo("REPLACE-WITH-A-MESSAGE-ID");
            assertThat(r.chunkIndex()).isZero();
        });
        assertThat(events.read(read("transient-bounce.json")).orElseThrow().kind()).isEqualTo(FeedbackKind.TRANSIENT_BOUNCE);
        assertThat(events.read(read("complaint.json")).orElseThrow().detail()).isEqualTo("Complaint: abuse");
        assertThat(events.read(read("delivery.json")).orElseThrow().detail()).isEqualTo("Delivered: 250 2.6.0");
        assertThat(events.read(read("delivery-delay.json")).orElseThrow().detail())
                .isEqualTo("Delayed: TransientCommunicationFailure 4.4.1");
        assertThat(events.read(read("reject.json")).orElseThrow().kind()).isEqualTo(FeedbackKind.REJECT);
        assertThat(events.read(read("rendering-failure.json")).orElseThrow().kind()).isEqualTo(FeedbackKind.RENDERING_FAILURE);
        for (String fixture : List.of("bounce.json", "complaint.json", "delivery.json", "delivery-delay.json", "reject.json",
                "rendering-failure.json", "transient-bounce.json")) {
            assertThat(events.read(read(fixture)).orElseThrow().detail()).as(fixture).doesNotContain("@");
        }
    }

    @Test
    void anSnsNotification_andABareRecord_readAlike_andOpensAreNoReports() {
        String record = read("complaint.json");
        String detail = record.substring(record.indexOf("\"detail\": ") + "\"detail\": ".length(), record.lastIndexOf('}'));
        String sns = "{\"Type\":\"Notification\",\"MessageId\":\"n-1\",\"Message\":" + new com.fasterxml.jackson.databind.node
                .TextNode(detail) + "}";

        assertThat(events.read(detail)).isEqualTo(events.read(record));
        assertThat(events.read(sns)).isEqualTo(events.read(record));
        assertThat(events.read(detail.replace("\"eventType\": \"Complaint\"", "\"eventType\": \"Open\""))).isEmpty();
    }

    @Test
    void unreadableEvents_sayWhy_withoutQuotingThem() {
        for (String bad : List.of("", "{", "[]", "{\"eventType\":\"Bounce\"}",
                "{\"eventType\":\"Bounce\",\"mail\":{\"messageId\":\"x\"},\"bounce\":{\"bouncedRecipients\":[]}}",
                "{\"eventType\":\"Bounce\",\"mail\":{\"messageId\":\"x\"},\"bounce\":{\"timestamp\":\"yesterday\","
                        + "\"bouncedRecipients\":[{\"emailAddress\":\"ann@example.com\"}]}}",
                "{\"eventType\":\"Surprise\\nforged log line ann@example.com\",\"mail\":{\"messageId\":\"x\"}}")) {
            assertThatThrownBy(() -> events.read(bad)).as(bad).isInstanceOf(UnreadableReportException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("ann@example.com"));
        }
    }

    @Test
    void aPermanentBounce_andAComplaint_suppressTheirAddresses_andShowInTheRecipientsAndTheCounts() {
        assertThat(feedback.record(report("delivery.json", 1))).isEqualTo(FeedbackService.Recorded.APPLIED);
        assertThat(feedback.record(report("delivery.json", 2))).isEqualTo(FeedbackService.Recorded.APPLIED);
        assertThat(feedback.record(report("bounce.json", 3))).isEqualTo(FeedbackService.Recorded.APPLIED);
        assertThat(feedback.record(report("delivery.json", 12))).isEqualTo(FeedbackService.Recorded.APPLIED);
        assertThat(feedback.record(report("complaint.json", 12))).isEqualTo(FeedbackService.Recorded.APPLIED);

        assertThat(recipient(1).state()).isEqualTo(RecipientState.DELIVERED);
        assertThat(recipient(3).state()).isEqualTo(RecipientState.BOUNCED);
        assertThat(recipient(3).outcome().error()).isEqualTo("Permanent/General 5.1.1");
        assertThat(recipient(3).outcome().providerMessageId()).isEqualTo("provider-" + messageId + "-0-3");
        assertThat(recipient(12).state()).isEqualTo(RecipientState.COMPLAINED);
        assertThat(recipient(12).feedback()).extracting(FeedbackEntry::kind, FeedbackEntry::at).containsExactly(
                org.assertj.core.groups.Tuple.tuple(FeedbackKind.DELIVERY, Instant.parse("2017-08-05T00:40:05.372Z")),
                org.assertj.core.groups.Tuple.tuple(FeedbackKind.COMPLAINT, Instant.parse("2017-08-05T00:41:18.000Z")));
        Counts counts = counts();
        assertThat(counts.sent()).isEqualTo(25);
        assertThat(counts.delivered()).isEqualTo(2);
        assertThat(counts.bounced()).isEqualTo(1);
        assertThat(counts.complained()).isEqualTo(1);
        assertThat(message().status()).isEqualTo(MessageStatus.SENT);
        Suppression bounced = h.store.findSuppressions("outbox", List.of("user3@example.com")).get("user3@example.com");
        assertThat(bounced.reason()).isEqualTo(SuppressionReason.BOUNCED);
        assertThat(bounced.messageId()).isEqualTo(messageId);
        assertThat(h.store.findSuppressions("outbox", List.of("user12@example.com")).get("user12@example.com").reason())
                .isEqualTo(SuppressionReason.COMPLAINED);
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).hasSize(2);
        assertThat(h.views.recipients(Harness.ALICE, messageId, RecipientState.BOUNCED, 10, null).items())
                .extracting(v -> v.recipient().email()).containsExactly("user3@example.com");
    }

    @Test
    void aReportTwice_countsOnce_andReportsInAnyOrder_endInTheGravestState() {
        DeliveryReport complaint = report("complaint.json", 5);
        feedback.record(complaint);
        assertThat(feedback.record(complaint)).isEqualTo(FeedbackService.Recorded.DUPLICATE);
        feedback.record(report("delivery.json", 5)); // SES's delivery report comes after the complaint

        assertThat(recipient(5).state()).isEqualTo(RecipientState.COMPLAINED);
        assertThat(recipient(5).feedback()).extracting(FeedbackEntry::kind)
                .containsExactly(FeedbackKind.DELIVERY, FeedbackKind.COMPLAINT);
        assertThat(counts().complained()).isEqualTo(1);
        assertThat(counts().delivered()).isZero();
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).hasSize(1);
    }

    @Test
    void aTransientBounceOrADelay_isRecorded_withoutChangingTheState() {
        feedback.record(report("delivery-delay.json", 7));
        feedback.record(report("transient-bounce.json", 7));

        assertThat(recipient(7).state()).isEqualTo(RecipientState.SENT);
        assertThat(recipient(7).feedback()).extracting(FeedbackEntry::kind)
                .containsExactly(FeedbackKind.TRANSIENT_BOUNCE, FeedbackKind.DELIVERY_DELAY); // by time: 2017, 2020
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).isEmpty();
        feedback.record(report("delivery.json", 7));
        assertThat(recipient(7).state()).isEqualTo(RecipientState.DELIVERED);
    }

    @Test
    void aRejectionOrARenderingFailure_marksTheSentMailRejected() {
        feedback.record(report("reject.json", 8));
        feedback.record(report("rendering-failure.json", 9));

        assertThat(recipient(8).state()).isEqualTo(RecipientState.REJECTED);
        assertThat(recipient(8).outcome().error()).isEqualTo("Rejected: Bad content");
        assertThat(recipient(9).state()).isEqualTo(RecipientState.REJECTED);
        assertThat(counts().rejected()).isEqualTo(2);
        assertThat(counts().sent()).isEqualTo(25);
    }

    @Test
    void reportsForMailHeraldDoesNotKnow_areDropped_butABounceStillSuppressesWhereTheSystemIsKnown() {
        String unknownMessage = read("bounce.json").replace("recipient@example.com", "stranger@example.com")
                .replace("REPLACE-WITH-A-MESSAGE-SYSTEM-ID", "outbox");
        String untagged = read("delivery.json").replace("\"herald-", "\"other-");

        assertThat(feedback.record(events.read(unknownMessage).orElseThrow())).isEqualTo(FeedbackService.Recorded.UNKNOWN);
        assertThat(feedback.record(events.read(untagged).orElseThrow())).isEqualTo(FeedbackService.Recorded.UNKNOWN);
        assertThat(h.store.findSuppressions("outbox", List.of("stranger@example.com"))).containsKey("stranger@example.com");
    }

    @Test
    void aReportFedByHand_withoutTheChunkTag_andWithAnotherMessageId_findsTheRecipientByAddress() {
        String byHand = read("bounce.json").replace("recipient@example.com", "user14@example.com")
                .replace("REPLACE-WITH-A-MESSAGE-ID", messageId).replace("\"herald-chunk\"", "\"other-chunk\"");

        assertThat(feedback.record(events.read(byHand).orElseThrow())).isEqualTo(FeedbackService.Recorded.APPLIED);
        assertThat(recipient(14).state()).isEqualTo(RecipientState.BOUNCED);
    }

    @Test
    void aReportForAChunkStillBeingSent_isToBeDeliveredAgainLater() {
        String taskId = h.scheduleInAMinute(3, null);
        String sending = h.store.findTask(taskId).orElseThrow().messageId();
        var chunk = h.store.listChunks(sending).get(0);
        h.store.updateChunk(chunk.with(chunk.recipients(), dev.herald.core.model.ChunkState.IN_FLIGHT, "run-x", h.clock.instant()));
        String event = read("delivery.json").replace("recipient@example.com", "user1@example.com")
                .replace("REPLACE-WITH-A-MESSAGE-ID", sending);

        assertThatThrownBy(() -> feedback.record(events.read(event).orElseThrow())).isInstanceOf(ReportNotYetApplicable.class);
    }
}
