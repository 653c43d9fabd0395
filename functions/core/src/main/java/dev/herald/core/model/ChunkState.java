package dev.herald.core.model;

public enum ChunkState {
    PENDING,
    /** A run is sending it: after a crash, its recipients without an outcome are recovered. */
    IN_FLIGHT,
    DONE
}
