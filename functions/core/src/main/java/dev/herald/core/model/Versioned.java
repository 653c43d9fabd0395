package dev.herald.core.model;

/** A record the store updates conditionally on its version (optimistic concurrency). */
public interface Versioned {

    long version();
}
