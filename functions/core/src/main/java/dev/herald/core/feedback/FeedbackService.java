package dev.herald.core.feedback;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.FeedbackEntry;
import dev.herald.core.model.FeedbackKind;
import dev.herald.core.model.FeedbackTally;
import dev.herald.core.model.Message;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.port.Store;
import dev.herald.core.rules.AddressRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Records what the provider reports of sent mail. A permanent bounce or a complaint lists the
 * address on its message system's suppression list; every report goes into its recipient's history
 * and moves the recipient's state ({@link FeedbackKind#after}), and the message's counts follow
 * through its chunk's tally, kept beside the message. Reports come at least once and in any order: one already in the
 * history changes nothing, and one for a mail Herald does not know is dropped (logged).
 */
public final class FeedbackService {

    /** What became of a report. */
    public enum Recorded { APPLIED, DUPLICATE, UNKNOWN }

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackService.class);
    private final Store store;
    private final Clock clock;

    public FeedbackService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Recorded record(DeliveryReport report) {
        Optional<Message> message = report.messageId() == null ? Optional.empty() : store.findMessage(report.messageId());
        String systemId = message.map(Message::messageSystemId).orElse(report.messageSystemId());
        suppress(report, systemId);
        if (message.isEmpty()) {
            LOG.info("{} for SES message {}: no message of Herald's sent it; dropped", report.kind(),
                    report.providerMessageId());
            return Recorded.UNKNOWN;
        }
        // One mail per recipient in SES's bulk sends: a report names one address, rarely more.
        List<Recorded> recorded = report.addresses().stream().map(address -> recordFor(message.get(), report, address)).toList();
        return recorded.contains(Recorded.APPLIED) ? Recorded.APPLIED
                : recorded.contains(Recorded.DUPLICATE) ? Recorded.DUPLICATE : Recorded.UNKNOWN;
    }

    private void suppress(DeliveryReport report, String systemId) {
        SuppressionReason reason = switch (report.kind()) {
            case PERMANENT_BOUNCE -> SuppressionReason.BOUNCED;
            case COMPLAINT -> SuppressionReason.COMPLAINED;
            default -> null;
        };
        if (reason == null || systemId == null) {
            return;
        }
        List<Suppression> entries = new ArrayList<>();
        for (String address : report.addresses()) {
            AddressRules.Checked checked = AddressRules.check(address);
            if (checked.isValid()) {
                entries.add(new Suppression(systemId, checked.key(), reason, report.at(),
                        report.messageId()));
            }
        }
        if (!entries.isEmpty() && store.addSuppressions(entries) > 0) {
            LOG.info("{} address(es) of message system '{}' suppressed: {}", entries.size(), systemId, reason);
        }
    }

    private Recorded recordFor(Message message, DeliveryReport report, String address) {
        FeedbackEntry entry = new FeedbackEntry(report.kind(), report.at(), report.detail());
        while (true) {
            Optional<Located> located = locate(message, report, address);
            if (located.isEmpty()) {
                LOG.info("{} for SES message {}: no recipient of message {} has it; dropped", report.kind(),
                        report.providerMessageId(), message.id());
                return Recorded.UNKNOWN;
            }
            Chunk chunk = located.get().chunk();
            if (chunk.state() != ChunkState.DONE) {
                throw new ReportNotYetApplicable("chunk " + chunk.index() + " of message " + message.id() + " is being sent");
            }
            Recipient recipient = chunk.recipients().get(located.get().position());
            if (recipient.feedback().contains(entry)) {
                tally(message.id(), chunk); // a retry after a crash between the two writes finishes the count
                return Recorded.DUPLICATE;
            }
            List<Recipient> recipients = new ArrayList<>(chunk.recipients());
            recipients.set(located.get().position(), recipient.withFeedback(entry, outcomeAfter(recipient, entry)));
            Optional<Chunk> saved = store.updateChunk(chunk.with(recipients, ChunkState.DONE, null, clock.instant()));
            if (saved.isPresent()) {
                tally(message.id(), saved.get());
                return Recorded.APPLIED;
            }
            // Another report of the same chunk came first: read it again.
        }
    }

    /** A sent recipient moves to the report's state; any other keeps its outcome, the report only goes in its history. */
    private static Outcome outcomeAfter(Recipient recipient, FeedbackEntry entry) {
        Outcome outcome = recipient.outcome();
        if (outcome == null || !outcome.state().isSent()) {
            return outcome;
        }
        RecipientState next = entry.kind().after(outcome.state());
        if (next == outcome.state()) {
            return outcome;
        }
        String error = next == RecipientState.DELIVERED ? null : entry.detail();
        return new Outcome(next, outcome.providerMessageId(), error, entry.at());
    }

    private void tally(String messageId, Chunk chunk) {
        store.putFeedbackTally(messageId, chunk.index(), FeedbackTally.of(chunk));
    }

    private record Located(Chunk chunk, int position) {
    }

    /**
     * The recipient's chunk: from the mail's chunk tag with one read, otherwise by searching the
     * message a page of chunks at a time (a report fed by hand). Within it, the recipient the provider
     * gave this message id, or else the one with this address (addresses are unique in a message).
     */
    private Optional<Located> locate(Message message, DeliveryReport report, String address) {
        String key = AddressRules.key(address);
        Located byAddress = null;
        try (Stream<Chunk> chunks = report.chunkIndex() != null
                ? store.findChunk(message.id(), report.chunkIndex()).stream() : store.streamChunks(message)) {
            for (Chunk chunk : (Iterable<Chunk>) chunks::iterator) {
                for (int i = 0; i < chunk.recipients().size(); i++) {
                    Recipient recipient = chunk.recipients().get(i);
                    if (recipient.outcome() != null && report.providerMessageId().equals(recipient.outcome().providerMessageId())) {
                        return Optional.of(new Located(chunk, i));
                    }
                    if (byAddress == null && AddressRules.key(recipient.email()).equals(key)) {
                        byAddress = new Located(chunk, i);
                    }
                }
            }
        }
        return Optional.ofNullable(byAddress);
    }
}
