package dev.herald.core.render;

import java.time.Duration;

/**
 * How large a template may be, and what one render of it may spend.
 *
 * @param maxSource       characters of one template's source
 * @param maxOutput       characters one render may produce
 * @param renderTime      how long one render may take
 * @param maxPartialDepth how deeply partials may call partials
 */
public record TemplateLimits(int maxSource, int maxOutput, Duration renderTime, int maxPartialDepth) {

    public static TemplateLimits defaults() {
        return new TemplateLimits(100_000, 1_000_000, Duration.ofSeconds(1), 10);
    }
}
