package dev.herald.core.model;

import java.time.Instant;

/** Remembers which message a caller's {@code Idempotency-Key} created, and from what request. */
public record IdempotencyRecord(String callerId, String key, String requestHash, String messageId,
                                Instant createdAt, Instant expiresAt) {
}
