package dev.herald.core.model;

/**
 * How a message is sent by several workers at once: cut into {@code slices}, by {@code workers} of which
 * each sends at its share of the message system's rate (a worker runs in a process of its own).
 */
public record FanOut(int slices, int workers) {
}
