package dev.herald.core.access;

import java.time.Instant;

/** A bearer token of the local runtime; only its hash is stored. */
public record AccessToken(String id, String name, Role role, String tokenHash, Instant createdAt) {
}
