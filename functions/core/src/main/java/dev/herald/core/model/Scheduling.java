package dev.herald.core.model;

/**
 * The scheduling settings of a message system. {@code category} names the schedule group its
 * tasks go into; without scheduling only immediate sends are accepted.
 */
public record Scheduling(boolean enabled, String category) {
}
