package dev.herald.core.unsubscribe;

import dev.herald.core.error.NotFoundException;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.port.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * What an unsubscribe link does, for whoever holds it, without a login: shows whom it stops, and
 * stops them by listing the address {@code UNSUBSCRIBED} on its message system's suppression list.
 * Repeating it changes nothing: the first entry stays.
 */
public final class UnsubscribeService {

    private static final Logger LOG = LoggerFactory.getLogger(UnsubscribeService.class);
    private final Store store;
    private final UnsubscribeTokens tokens;
    private final Clock clock;

    public UnsubscribeService(Store store, UnsubscribeTokens tokens, Clock clock) {
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** What a confirmation page shows: the system's name and the address, partly hidden. */
    public record Confirmation(String messageSystemName, String maskedAddress) {
    }

    /** Whom the link stops, changing nothing. */
    public Confirmation confirmation(String token) {
        return confirmationOf(target(token));
    }

    /** Stops the link's address; harmless when it was stopped already. */
    public Confirmation unsubscribe(String token) {
        UnsubscribeTarget target = target(token);
        boolean added = store.addSuppressions(List.of(new Suppression(target.messageSystemId(), target.address(),
                SuppressionReason.UNSUBSCRIBED, clock.instant(), target.messageId()))) > 0;
        Confirmation confirmation = confirmationOf(target);
        if (added) {
            LOG.info("{} unsubscribed from message system '{}' through message {}", confirmation.maskedAddress(),
                    target.messageSystemId(), target.messageId());
        }
        return confirmation;
    }

    private UnsubscribeTarget target(String token) {
        return tokens.open(token).orElseThrow(() -> new NotFoundException(
                "This unsubscribe link is not valid: it may have been cut short when it was copied"));
    }

    private Confirmation confirmationOf(UnsubscribeTarget target) {
        String name = store.findMessageSystem(target.messageSystemId()).map(MessageSystem::name)
                .orElse(target.messageSystemId());
        return new Confirmation(name, masked(target.address()));
    }

    /** The first character of the local part and the whole domain: enough to recognise, not to harvest. */
    static String masked(String address) {
        int at = address.lastIndexOf('@');
        return address.codePoints().limit(1).collect(StringBuilder::new, StringBuilder::appendCodePoint,
                StringBuilder::append) + "…" + address.substring(at);
    }
}
