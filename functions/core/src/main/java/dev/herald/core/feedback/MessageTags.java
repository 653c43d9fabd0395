package dev.herald.core.feedback;

/**
 * The tags Herald gives each mail at the provider (SES message tags), which come back with every
 * report of it: where to find its recipient. Values are ids and numbers, as SES allows in tags.
 */
public final class MessageTags {

    public static final String MESSAGE_SYSTEM = "herald-system";
    public static final String MESSAGE = "herald-message";
    public static final String CHUNK = "herald-chunk";

    private MessageTags() {
    }
}
