package dev.herald.core.testing;

import dev.herald.core.port.Ids;

import java.util.concurrent.atomic.AtomicInteger;

/** Predictable ids: {@code id-1}, {@code id-2}, ... */
public final class SequentialIds implements Ids {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public String newId() {
        return "id-" + next.incrementAndGet();
    }
}
