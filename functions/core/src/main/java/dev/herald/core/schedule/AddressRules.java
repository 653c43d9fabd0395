package dev.herald.core.schedule;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.Optional;

/**
 * Checks a bare e-mail address: RFC 5322 syntax (strict parse by Jakarta Mail) and the RFC 5321
 * length limits (local part 64, domain 255, whole path 254), with a fully qualified domain.
 */
public final class AddressRules {

    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;
    private static final int MAX_ADDRESS = 254;
    private static final int MAX_LABEL = 63;
    private static final int MAX_DISPLAY_NAME = 256;

    private AddressRules() {
    }

    /** Why the address is unusable, or empty when it is fine. */
    public static Optional<String> problemWithAddress(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("is required");
        }
        if (hasLineBreak(address)) {
            return Optional.of("must not contain CR or LF");
        }
        if (address.length() > MAX_ADDRESS) {
            return Optional.of("is longer than " + MAX_ADDRESS + " characters (RFC 5321)");
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.of("is not an e-mail address");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (local.length() > MAX_LOCAL_PART) {
            return Optional.of("has a local part longer than " + MAX_LOCAL_PART + " characters (RFC 5321)");
        }
        if (domain.length() > MAX_DOMAIN) {
            return Optional.of("has a domain longer than " + MAX_DOMAIN + " characters (RFC 5321)");
        }
        if (!domain.contains(".")) {
            return Optional.of("has no fully qualified domain");
        }
        for (String label : domain.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                return Optional.of("has an invalid domain");
            }
        }
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            if (parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
                return Optional.of("must be a bare address, without a display name");
            }
        } catch (AddressException e) {
            return Optional.of("is not an e-mail address");
        }
        return Optional.empty();
    }

    /** Why the display name is unusable as a header value, or empty when it is fine. */
    public static Optional<String> problemWithDisplayName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (hasLineBreak(name)) {
            return Optional.of("must not contain CR or LF");
        }
        if (name.length() > MAX_DISPLAY_NAME) {
            return Optional.of("is longer than " + MAX_DISPLAY_NAME + " characters");
        }
        return Optional.empty();
    }

    public static boolean hasLineBreak(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
    }
}
