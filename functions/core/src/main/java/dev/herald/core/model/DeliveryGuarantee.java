package dev.herald.core.model;

/**
 * What happens to the recipients of a chunk that was in flight when a run died. At least once
 * (the default) sends them again; at most once records them {@code UNKNOWN} and never resends.
 */
public enum DeliveryGuarantee {
    AT_LEAST_ONCE, AT_MOST_ONCE
}
