package dev.herald.core.model;

public enum SliceState {
    /** No worker holds it. */
    OPEN,
    /** A worker holds it, while its lease lasts. */
    CLAIMED,
    /** Every recipient of it has an outcome. */
    DONE
}
