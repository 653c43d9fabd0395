package dev.herald.core.port;

import java.util.UUID;

/** Creates identifiers; tests substitute predictable ones. */
@FunctionalInterface
public interface Ids {

    String newId();

    static Ids random() {
        return () -> UUID.randomUUID().toString();
    }
}
