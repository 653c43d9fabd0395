package dev.herald.core.model;

import java.time.Instant;

/**
 * One report of the provider about a sent mail, in a recipient's history: what it said, when it
 * says it happened, and a short detail (a bounce's kind and SMTP status, a complaint's type),
 * never an address.
 */
public record FeedbackEntry(FeedbackKind kind, Instant at, String detail) {
}
