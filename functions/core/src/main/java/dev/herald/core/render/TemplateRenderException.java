package dev.herald.core.render;

/** A template that could not be rendered for a recipient: which one, and why, in the API's words. */
public final class TemplateRenderException extends RuntimeException {

    private final String field;

    TemplateRenderException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
    }

    /** {@code subject}, {@code text} or {@code html}. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field's name. */
    public String reason() {
        return getMessage().substring(field.length() + 1);
    }
}
