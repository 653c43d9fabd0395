package dev.herald.core.suppression;

import dev.herald.core.access.Caller;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Page;
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

/**
 * The suppression lists of the message systems: what admins see and change, and what unsubscribes
 * and provider feedback add. Every address is checked and kept as every address in Herald is
 * ({@link AddressRules}), and listed under its {@link AddressRules#key}. The dispatch reads the lists
 * when it sends, so an address suppressed after a message was scheduled is still spared.
 */
public final class SuppressionService {

    private static final Logger LOG = LoggerFactory.getLogger(SuppressionService.class);
    public static final int MAX_ADDRESSES_PER_CALL = 10_000;
    public static final int MAX_PAGE = 1_000;

    private final Store store;
    private final Clock clock;

    public SuppressionService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What a bulk add did: how many addresses it put on the list, how many were on it already. */
    public record Added(int added, int alreadySuppressed) {
    }

    public Page<Suppression> list(Caller caller, String messageSystemId, String cursor, int limit) {
        caller.requireAdmin();
        requireSystem(messageSystemId);
        return store.listSuppressions(messageSystemId, cursor, limit);
    }

    public Suppression get(Caller caller, String messageSystemId, String address) {
        caller.requireAdmin();
        requireSystem(messageSystemId);
        String key = key("address", address);
        return Optional.ofNullable(store.findSuppressions(messageSystemId, List.of(key)).get(key))
                .orElseThrow(() -> new NotFoundException("That address is not on the suppression list of '" + messageSystemId + "'."));
    }

    /** Adds addresses by hand ({@code MANUAL}); an address already listed keeps its entry. */
    public Added add(Caller caller, String messageSystemId, List<String> addresses) {
        caller.requireAdmin();
        requireSystem(messageSystemId);
        if (addresses == null || addresses.isEmpty() || addresses.size() > MAX_ADDRESSES_PER_CALL) {
            throw ValidationException.of("addresses", "must hold 1 to " + MAX_ADDRESSES_PER_CALL + " addresses");
        }
        List<FieldError> errors = new ArrayList<>();
        List<Suppression> entries = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            AddressRules.Checked checked = AddressRules.check(addresses.get(i));
            if (checked.isValid()) {
                entries.add(new Suppression(messageSystemId, checked.key(), SuppressionReason.MANUAL,
                        clock.instant(), null));
            } else {
                errors.add(new FieldError("addresses[" + i + "]", checked.problem()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        int added = store.addSuppressions(entries);
        LOG.info("Suppression list of {}: {} address(es) added by hand, {} already listed", messageSystemId, added,
                entries.size() - added);
        return new Added(added, entries.size() - added);
    }

    /** Adds one address by hand; answers its entry, the earlier one when it was listed already. */
    public Suppression addOne(Caller caller, String messageSystemId, String address) {
        caller.requireAdmin();
        requireSystem(messageSystemId);
        String key = key("address", address);
        Suppression entry = new Suppression(messageSystemId, key, SuppressionReason.MANUAL, clock.instant(), null);
        // Read back only when it was listed already: a lookup may miss what was added a moment ago.
        return store.addSuppressions(List.of(entry)) == 1 ? entry : store.findSuppressions(messageSystemId, List.of(key)).get(key);
    }

    public void remove(Caller caller, String messageSystemId, String address) {
        caller.requireAdmin();
        requireSystem(messageSystemId);
        if (!store.removeSuppression(messageSystemId, key("address", address))) {
            throw new NotFoundException("That address is not on the suppression list of '" + messageSystemId + "'.");
        }
        LOG.info("Suppression list of {}: an address was removed by hand", messageSystemId);
    }

    private void requireSystem(String messageSystemId) {
        if (store.findMessageSystem(messageSystemId).isEmpty()) {
            throw new NotFoundException("No message system '" + messageSystemId + "'.");
        }
    }

    private static String key(String field, String address) {
        AddressRules.Checked checked = AddressRules.check(address);
        if (!checked.isValid()) {
            throw ValidationException.of(field, checked.problem());
        }
        return checked.key();
    }
}
