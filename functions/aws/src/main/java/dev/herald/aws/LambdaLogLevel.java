package dev.herald.aws;

import java.util.Locale;
import java.util.Set;

/**
 * The application log level Lambda filters the function's output at ({@code ApplicationLogLevel},
 * handed over as {@code AWS_LAMBDA_LOG_LEVEL}): lines below it are dropped, and so is a line whose
 * level Lambda cannot read, since it counts as INFO.
 */
public final class LambdaLogLevel {

    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
    private static final String DEFAULT = "INFO";

    private LambdaLogLevel() {
    }

    /** The configured level, upper case; INFO when unset or not one of Lambda's levels. */
    public static String configured() {
        return of(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
    }

    static String of(String setting) {
        String level = setting == null ? DEFAULT : setting.trim().toUpperCase(Locale.ROOT);
        return LEVELS.contains(level) ? level : DEFAULT;
    }
}
