package dev.herald.core.port;

/** A header field Herald adds to a mail, its value ASCII and free of line breaks. */
public record MailHeader(String name, String value) {
}
