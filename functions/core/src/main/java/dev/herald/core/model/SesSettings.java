package dev.herald.core.model;

/** Region and optional configuration set of an SES message system (region null: the runtime's own). */
public record SesSettings(String region, String configurationSet) {
}
