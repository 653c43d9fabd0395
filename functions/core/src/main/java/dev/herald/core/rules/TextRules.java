package dev.herald.core.rules;

import java.util.Locale;
import java.util.Optional;

/**
 * What may stand in a value that becomes a mail header, an address, a protocol line or a log line:
 * no control characters (C0, DEL, C1, and the Unicode line and paragraph separators), with a tab
 * where the format allows one (a subject, a display name).
 */
public final class TextRules {

    private TextRules() {
    }

    /** Why the value holds a character it must not, or empty when it holds none. */
    public static Optional<String> problemWithControls(String value, boolean tabAllowed) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t' && tabAllowed) {
                continue;
            }
            if (isControl(c)) {
                return Optional.of(describe(c));
            }
        }
        return Optional.empty();
    }

    /** A name shown to people and written to logs: required, at most {@code maxLength} characters, no control character. */
    public static Optional<String> problemWithName(String name, int maxLength) {
        if (name == null || name.isBlank()) {
            return Optional.of("is required");
        }
        if (name.length() > maxLength) {
            return Optional.of("is longer than " + maxLength + " characters");
        }
        return problemWithControls(name, false);
    }

    /**
     * The text with its control characters written out ({@code \\n}, {@code \\u001B}): one line,
     * however it was crafted, that can neither start a line of its own nor steer a terminal (CWE-117).
     */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> isControl(c) ? String.format(Locale.ROOT, "\\u%04X", (int) c) : null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** A value from elsewhere made safe to keep and show: {@link #escape escaped}, cut with an ellipsis at {@code maxLength}. */
    public static String escaped(String value, int maxLength) {
        String escaped = escape(value);
        return escaped.length() <= maxLength ? escaped : escaped.substring(0, maxLength - 1) + "…";
    }

    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }

    private static String describe(char c) {
        String name = switch (c) {
            case '\r', '\n' -> "a line break";
            case '\t' -> "a tab";
            case 0 -> "a NUL character";
            default -> "a control character";
        };
        return "must not contain " + name + " (U+" + String.format(Locale.ROOT, "%04X", (int) c) + ")";
    }
}
