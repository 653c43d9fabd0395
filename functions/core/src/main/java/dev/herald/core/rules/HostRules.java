package dev.herald.core.rules;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host Herald connects to (an SMTP relay): a host name (letters, digits and hyphens in labels of
 * 1-63, none at either end, 253 at most; an internationalised name in its ASCII form), an IPv4
 * address, or an IPv6 address in brackets. Nothing else: no spaces, no control characters, no port.
 */
public final class HostRules {

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostRules() {
    }

    /** The host in the form Herald connects to, or empty when it is not one. */
    public static Optional<String> normalized(String host) {
        if (host == null || host.isEmpty() || host.length() > 253 || TextRules.problemWithControls(host, false).isPresent()) {
            return Optional.empty();
        }
        if (IPV4.matcher(host).matches() || IPV6.matcher(host).matches()) {
            return Optional.of(host);
        }
        return asciiName(host);
    }

    /**
     * A host name in ASCII and lower case (IDNA with the STD3 rules), each label 1-63 letters, digits
     * or hyphens, none at either end; empty when it is none. Addresses' domains are such names too.
     */
    static Optional<String> asciiName(String name) {
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAName) {
            return Optional.empty();
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(ascii);
    }
}
