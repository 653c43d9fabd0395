package dev.herald.core.render;

/** Subject and bodies rendered for one recipient; a body is null when the message has none. */
public record RenderedContent(String subject, String text, String html) {
}
