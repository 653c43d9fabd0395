package dev.herald.core.render;

/** Subject and bodies rendered for one recipient; a body is null when the message has none. */
public record RenderedContent(String subject, String text, String html) {

    /** Nothing rendered: for a provider that renders itself. */
    public static final RenderedContent NONE = new RenderedContent(null, null, null);
}
