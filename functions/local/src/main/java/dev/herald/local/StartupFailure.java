package dev.herald.local;

import dev.herald.core.error.CipherException;
import dev.herald.core.error.StoreException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Why the local runtime could not start, in one line for the person who started it. */
final class StartupFailure {

    private static final Pattern SERVER_ADDRESS = Pattern.compile("server on (\\S+)");
    /** How Micronaut lists a settings interface's violated constraints: "LocalConfiguration.getTaskLease - must not be null". */
    private static final Pattern VIOLATION = Pattern.compile("\\w+\\.get(\\w+) - (.+)");
    /** How Micronaut names a setting it cannot convert: "No property found for name [herald.task-lease] and type [java.time.Duration]". */
    private static final Pattern UNREADABLE = Pattern.compile("\\[herald\\.([a-z0-9-]+)] and type \\[([\\w.]+)]");

    private StartupFailure() {
    }

    static String describe(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        for (Throwable cause : chain) {
            if (cause instanceof BindException) {
                Matcher address = SERVER_ADDRESS.matcher(String.valueOf(failure.getMessage()));
                return (address.find() ? address.group(1) : "the port") + " is in use: stop what uses it, "
                        + "or choose another HERALD_PORT (or HERALD_HOST)";
            }
            if (cause instanceof SettingsCheck.BadSettingException || cause instanceof StoreException
                    || cause instanceof CipherException) {
                return cause.getMessage();
            }
            if (cause instanceof ConstraintViolationException invalid) {
                return String.join("; ", invalid.getConstraintViolations().stream().map(StartupFailure::setting).toList());
            }
        }
        for (Throwable cause : chain) {
            String message = String.valueOf(cause.getMessage());
            List<String> violations = message.lines().map(String::trim).map(VIOLATION::matcher).filter(Matcher::matches)
                    .map(m -> variable(kebab(m.group(1))) + " " + m.group(2)).toList();
            if (!violations.isEmpty()) {
                return String.join("; ", violations);
            }
            Matcher unreadable = UNREADABLE.matcher(message);
            if (unreadable.find()) {
                return variable(unreadable.group(1)) + " must be " + expected(unreadable.group(2));
            }
        }
        Throwable root = chain.get(chain.size() - 1);
        return root.getClass().getSimpleName() + ": " + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
    }

    private static String expected(String type) {
        return switch (type) {
            case "java.time.Duration" -> "a duration such as PT30S";
            case "java.time.Period" -> "a period such as P5Y";
            case "int", "java.lang.Integer" -> "a whole number";
            case "java.nio.file.Path" -> "a folder path";
            default -> "a " + type.replaceAll(".*\\.", "");
        };
    }

    /** {@code dispatchWorkers must be ...} as {@code HERALD_DISPATCH_WORKERS must be ...}. */
    private static String setting(ConstraintViolation<?> violation) {
        String getter = violation.getPropertyPath().toString().replaceAll(".*\\.", "").replaceAll("^get", "");
        return variable(kebab(getter)) + " " + violation.getMessage();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String variable(String kebabProperty) {
        return "HERALD_" + kebabProperty.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
