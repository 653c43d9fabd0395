package dev.herald.core.access;

import java.time.Instant;

/** A bearer token of the local runtime; only its hash is stored. {@code lastUsedAt} may lag by up to a minute. */
public record AccessToken(String id, String name, Role role, String tokenHash, Instant createdAt, Instant lastUsedAt) {

    public AccessToken usedAt(Instant when) {
        return new AccessToken(id, name, role, tokenHash, createdAt, when);
    }
}
