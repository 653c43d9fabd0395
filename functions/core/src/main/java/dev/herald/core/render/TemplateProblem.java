package dev.herald.core.render;

/** A template that does not parse: which one, and where. */
public record TemplateProblem(String field, String message) {
}
