package dev.herald.core.model;

/** An address with an optional display name. */
public record Mailbox(String email, String name) {
}
