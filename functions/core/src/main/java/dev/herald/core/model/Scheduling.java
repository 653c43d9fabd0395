package dev.herald.core.model;

import java.time.Duration;

/**
 * The scheduling settings of a message system. {@code category} names the schedule group its
 * tasks go into; without scheduling only immediate sends are accepted. {@code maxLateness}, when
 * set, is how long after its send time a message may still be sent, unless it has its own sendBy.
 */
public record Scheduling(boolean enabled, String category, Duration maxLateness) {
}
