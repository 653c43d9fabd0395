package dev.herald.core.access;

import java.util.Locale;
import java.util.Optional;

public enum Role {
    /** Manages message systems, job accounts and tokens; sees every message. */
    ADMIN,
    /** Schedules and manages its own messages. */
    SENDER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
