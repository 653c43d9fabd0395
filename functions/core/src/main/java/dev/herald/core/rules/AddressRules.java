package dev.herald.core.rules;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.util.Locale;
import java.util.Optional;

/**
 * The one rule for every address Herald takes (recipients, a message system's {@code from} and
 * {@code replyTo}): a bare RFC 5322 address (dot-atom or quoted local part, Jakarta Mail's strict
 * parse) within RFC 5321's limits (local part 64, domain 253, whole address 254), with
 * <ul>
 *   <li>a local part in ASCII: Herald sends without SMTPUTF8, which SES does not support;</li>
 *   <li>a domain name of two labels or more, each 1-63 letters, digits or hyphens, none at either
 *       end of a label; an internationalised domain is accepted and written in its ASCII form
 *       (IDNA, {@code bücher.example} as {@code xn--bcher-kva.example}); no address literals;</li>
 *   <li>no control character anywhere.</li>
 * </ul>
 * {@link #check} answers the address as Herald stores and sends it: the local part as given, the
 * domain in ASCII and lower case.
 */
public final class AddressRules {

    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 253;
    private static final int MAX_ADDRESS = 254;
    private static final int MAX_DISPLAY_NAME = 256;

    private AddressRules() {
    }

    /** An address as Herald keeps it, or why it is unusable. */
    public record Checked(String address, String problem) {
        public boolean isValid() {
            return problem == null;
        }

        /** The valid address's {@link AddressRules#key key}. */
        public String key() {
            return AddressRules.key(address);
        }

        static Checked problem(String problem) {
            return new Checked(null, problem);
        }
    }

    public static Checked check(String address) {
        if (address == null || address.isBlank()) {
            return Checked.problem("is required");
        }
        Optional<String> controls = TextRules.problemWithControls(address, false);
        if (controls.isPresent()) {
            return Checked.problem(controls.get());
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Checked.problem("is not an e-mail address");
        }
        String local = address.substring(0, at);
        if (!local.chars().allMatch(c -> c < 0x80)) {
            return Checked.problem("has a non-ASCII local part: Herald sends without SMTPUTF8, which SES does not support");
        }
        if (local.length() > MAX_LOCAL_PART) {
            return Checked.problem("has a local part longer than " + MAX_LOCAL_PART + " characters (RFC 5321)");
        }
        Optional<String> domain = asciiDomain(address.substring(at + 1));
        if (domain.isEmpty()) {
            return Checked.problem("has no valid domain name: labels of letters, digits and hyphens (none at either end), "
                    + "at least two of them");
        }
        String normalized = local + "@" + domain.get();
        if (domain.get().length() > MAX_DOMAIN) {
            return Checked.problem("has a domain longer than " + MAX_DOMAIN + " characters (RFC 5321)");
        }
        if (normalized.length() > MAX_ADDRESS) {
            return Checked.problem("is longer than " + MAX_ADDRESS + " characters (RFC 5321)");
        }
        try {
            InternetAddress parsed = new InternetAddress(normalized, true);
            parsed.validate();
            if (parsed.getPersonal() != null || !normalized.equals(parsed.getAddress())) {
                return Checked.problem("must be a bare address, without a display name");
            }
        } catch (AddressException e) {
            return Checked.problem("is not an e-mail address");
        }
        return new Checked(normalized, null);
    }

    /**
     * Who an address is, for telling two apart (duplicate recipients, suppression lists): the
     * address as {@link #check} keeps it, in lower case.
     */
    public static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    /** Why the address is unusable, or empty when it is fine. */
    public static Optional<String> problemWithAddress(String address) {
        return Optional.ofNullable(check(address).problem());
    }

    /** The domain as a host name in ASCII ({@link HostRules#asciiName}) of two labels or more, not an IP address. */
    static Optional<String> asciiDomain(String domain) {
        if (domain.startsWith("[") || domain.endsWith(".")) {
            return Optional.empty();
        }
        return HostRules.asciiName(domain).filter(ascii -> {
            String[] labels = ascii.split("\\.");
            return labels.length >= 2 && !labels[labels.length - 1].chars().allMatch(Character::isDigit);
        });
    }

    /** Why the display name is unusable as a header value, or empty when it is fine. */
    public static Optional<String> problemWithDisplayName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Optional<String> controls = TextRules.problemWithControls(name, true);
        if (controls.isPresent()) {
            return controls;
        }
        if (name.length() > MAX_DISPLAY_NAME) {
            return Optional.of("is longer than " + MAX_DISPLAY_NAME + " characters");
        }
        return Optional.empty();
    }
}
