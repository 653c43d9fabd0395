package dev.herald.core.model;

import java.util.Locale;
import java.util.Optional;

/** How a message system delivers mail. */
public enum TransportKind {
    /** Writes one RFC 5322 {@code .eml} file per recipient: for trying Herald out and for tests. */
    OUTBOX(false),
    /** Any SMTP relay (including SES's SMTP interface); authenticates with the job account. */
    SMTP(true),
    /** Amazon SES v2 API; the job account, when set, is an access-key pair. */
    SES(false);

    private final boolean requiresJobAccount;

    TransportKind(boolean requiresJobAccount) {
        this.requiresJobAccount = requiresJobAccount;
    }

    public boolean requiresJobAccount() {
        return requiresJobAccount;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TransportKind> fromWireName(String name) {
        for (TransportKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
