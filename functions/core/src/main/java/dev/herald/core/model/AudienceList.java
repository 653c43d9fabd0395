package dev.herald.core.model;

import java.time.Instant;

/**
 * A stored audience: members a message can name instead of listing recipients. It belongs to its owner
 * and to one message system (whose suppression list applies when a message resolves it). The store
 * keeps {@code memberCount} as members are put and removed; a list being deleted is {@code DELETING}
 * until its last member is gone.
 */
public record AudienceList(String id, String ownerId, String messageSystemId, String name, ListState state,
                           long memberCount, Instant createdAt, Instant updatedAt, long version) implements Versioned {

    public AudienceList withName(String newName, Instant now) {
        return new AudienceList(id, ownerId, messageSystemId, newName, state, memberCount, createdAt, now, version);
    }

    public AudienceList withState(ListState newState, Instant now) {
        return new AudienceList(id, ownerId, messageSystemId, name, newState, memberCount, createdAt, now, version);
    }

    /** This list as read, with the count the store keeps beside it. */
    public AudienceList withMemberCount(long count) {
        return new AudienceList(id, ownerId, messageSystemId, name, state, count, createdAt, updatedAt, version);
    }

    /** This value as the store holds it after a successful update. */
    public AudienceList withVersion(long newVersion) {
        return new AudienceList(id, ownerId, messageSystemId, name, state, memberCount, createdAt, updatedAt, newVersion);
    }
}
