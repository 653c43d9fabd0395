package dev.herald.core.audience;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.ListState;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Page;
import dev.herald.core.port.Ids;
import dev.herald.core.port.Store;
import dev.herald.core.rules.AddressRules;
import dev.herald.core.rules.TextRules;
import dev.herald.core.rules.TimeZoneRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Audience lists: a sender keeps its own, an admin sees all. Members are checked and kept as every address
 * in Herald is ({@link AddressRules}) and keyed by {@link AddressRules#key}, so that adding a member again
 * updates it. A message that names a list reads it when it first fires.
 */
public final class ListService {

    private static final Logger LOG = LoggerFactory.getLogger(ListService.class);
    public static final int MAX_MEMBERS_PER_CALL = 10_000;
    public static final int MAX_PAGE = 1_000;
    private static final int MAX_NAME = 200;
    /** Members removed per store call while a list is deleted. */
    private static final int DELETE_PORTION = 1_000;

    private final Store store;
    private final Clock clock;
    private final Ids ids;
    private final Duration deleteBudget;

    /** @param deleteBudget how long one delete request removes members before it answers that the list is still being deleted */
    public ListService(Store store, Clock clock, Ids ids, Duration deleteBudget) {
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.deleteBudget = deleteBudget;
    }

    /** What a page of members did to the list: members new to it, members it had and now updated. */
    public record Put(int added, int updated) {
    }

    public AudienceList create(Caller caller, String messageSystemId, String name) {
        List<FieldError> errors = new ArrayList<>();
        TextRules.problemWithName(name, MAX_NAME).ifPresent(p -> errors.add(new FieldError("name", p)));
        Optional<MessageSystem> system = messageSystemId == null ? Optional.empty() : store.findMessageSystem(messageSystemId);
        if (system.isEmpty()) {
            errors.add(new FieldError("messageSystem", messageSystemId == null ? "is required"
                    : "unknown message system '" + messageSystemId + "'"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        AudienceList list = new AudienceList(ids.newId(), caller.id(), messageSystemId, name, ListState.ACTIVE, 0,
                clock.instant(), clock.instant(), 0);
        if (!store.insertList(list)) {
            throw new ConflictException("A list with id " + list.id() + " exists already.");
        }
        LOG.info("List {} created for message system {}", list.id(), messageSystemId);
        return list;
    }

    public AudienceList get(Caller caller, String listId) {
        return owned(caller, listId);
    }

    /** Renames the list. */
    public AudienceList rename(Caller caller, String listId, String name) {
        Optional<String> problem = TextRules.problemWithName(name, MAX_NAME);
        if (problem.isPresent()) {
            throw ValidationException.of("name", problem.get());
        }
        while (true) {
            AudienceList list = active(caller, listId);
            Optional<AudienceList> renamed = store.updateList(list.withName(name, clock.instant()));
            if (renamed.isPresent()) {
                return renamed.get().withMemberCount(list.memberCount());
            }
        }
    }

    public Page<AudienceList> list(Caller caller, String cursor, int limit) {
        return store.listLists(caller.isAdmin() ? null : caller.id(), cursor, limit);
    }

    /**
     * Adds the members, or updates the ones the list has: all of them or, when any is at fault, none (every
     * field at fault is named).
     */
    public Put putMembers(Caller caller, String listId, List<MemberInput> members) {
        AudienceList list = active(caller, listId);
        if (members == null || members.isEmpty() || members.size() > MAX_MEMBERS_PER_CALL) {
            throw ValidationException.of("members", "must hold 1 to " + MAX_MEMBERS_PER_CALL + " members");
        }
        List<FieldError> errors = new ArrayList<>();
        List<ListMember> checked = new ArrayList<>(members.size());
        Map<String, Integer> firstIndexByKey = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            String path = "members[" + i + "]";
            MemberInput member = members.get(i);
            if (member == null) {
                errors.add(new FieldError(path, "must be an object"));
                continue;
            }
            AddressRules.Checked address = AddressRules.check(member.email());
            if (!address.isValid()) {
                errors.add(new FieldError(path + ".email", address.problem()));
            } else {
                Integer first = firstIndexByKey.putIfAbsent(address.key(), i);
                if (first != null) {
                    errors.add(new FieldError(path + ".email", "duplicates members[" + first + "].email"));
                }
            }
            AddressRules.problemWithDisplayName(member.name()).ifPresent(p -> errors.add(new FieldError(path + ".name", p)));
            if (member.timeZone() != null) {
                TimeZoneRules.problemWithZone(member.timeZone()).ifPresent(p -> errors.add(new FieldError(path + ".timeZone", p)));
            }
            if (address.isValid()) {
                checked.add(new ListMember(address.address(), member.name(), member.data(), member.timeZone()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        int added = store.putMembers(list.id(), checked);
        LOG.info("List {}: {} member(s) added, {} updated", list.id(), added, checked.size() - added);
        return new Put(added, checked.size() - added);
    }

    /** Removes the members of these addresses; answers how many the list had. */
    public int removeMembers(Caller caller, String listId, List<String> addresses) {
        AudienceList list = active(caller, listId);
        if (addresses == null || addresses.isEmpty() || addresses.size() > MAX_MEMBERS_PER_CALL) {
            throw ValidationException.of("addresses", "must hold 1 to " + MAX_MEMBERS_PER_CALL + " addresses");
        }
        List<FieldError> errors = new ArrayList<>();
        List<String> keys = new ArrayList<>(addresses.size());
        for (int i = 0; i < addresses.size(); i++) {
            AddressRules.Checked address = AddressRules.check(addresses.get(i));
            if (address.isValid()) {
                keys.add(address.key());
            } else {
                errors.add(new FieldError("addresses[" + i + "]", address.problem()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        int removed = store.removeMembers(list.id(), keys);
        LOG.info("List {}: {} member(s) removed", list.id(), removed);
        return removed;
    }

    public Page<ListMember> members(Caller caller, String listId, String cursor, int limit) {
        AudienceList list = owned(caller, listId);
        return store.listMembers(list.id(), cursor, limit);
    }

    /**
     * Deletes the list: it stops taking members and messages at once, then its members are removed for as
     * long as the delete budget allows. Answers true when the list is gone; false when members are left, and a
     * repeated delete, or {@link #continueDeletions}, goes on with them.
     */
    public boolean delete(Caller caller, String listId) {
        AudienceList list = owned(caller, listId);
        while (list.state() != ListState.DELETING) {
            Optional<AudienceList> marked = store.updateList(list.withState(ListState.DELETING, clock.instant()));
            list = marked.orElseGet(() -> owned(caller, listId));
        }
        return removeWithinBudget(list);
    }

    /**
     * Goes on with the lists being deleted that no one deletes again (the reconciler's sweep, or a start after a
     * crash): each for the delete budget. Answers how many are gone.
     */
    public int continueDeletions() {
        int gone = 0;
        String cursor = null;
        do {
            Page<AudienceList> page = store.listLists(null, cursor, MAX_PAGE);
            for (AudienceList list : page.items()) {
                if (list.state() == ListState.DELETING && removeWithinBudget(list)) {
                    gone++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return gone;
    }

    /** Removes the list's members for as long as the budget allows, then the list when none is left. */
    private boolean removeWithinBudget(AudienceList list) {
        long until = System.nanoTime() + deleteBudget.toNanos();
        while (store.removeSomeMembers(list.id(), DELETE_PORTION) > 0) {
            if (System.nanoTime() >= until) {
                LOG.info("List {}: being deleted, members left for later", list.id());
                return false;
            }
        }
        if (!store.deleteList(list.id(), list.version())) {
            return false;
        }
        LOG.info("List {} deleted", list.id());
        return true;
    }

    /** The list, if the caller may see it; another caller's list does not exist for them. */
    private AudienceList owned(Caller caller, String listId) {
        return store.findList(listId)
                .filter(l -> caller.isAdmin() || l.ownerId().equals(caller.id()))
                .orElseThrow(() -> new NotFoundException("No list " + listId + "."));
    }

    private AudienceList active(Caller caller, String listId) {
        AudienceList list = owned(caller, listId);
        if (list.state() == ListState.DELETING) {
            throw new ConflictException("List " + listId + " is being deleted.");
        }
        return list;
    }
}
