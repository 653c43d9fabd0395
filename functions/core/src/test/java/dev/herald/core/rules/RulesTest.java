package dev.herald.core.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules every address, host and header value follows, wherever Herald takes one. */
class RulesTest {

    @Test
    void anInternationalisedDomain_isKeptInItsAsciiForm_andDomainsInLowerCase() {
        assertThat(AddressRules.check("ann@bücher.example").address()).isEqualTo("ann@xn--bcher-kva.example");
        assertThat(AddressRules.check("Ann.Smith@Example.COM").address()).isEqualTo("Ann.Smith@example.com");
        assertThat(AddressRules.check("\"ann smith\"@example.com").address()).isEqualTo("\"ann smith\"@example.com");
    }

    @Test
    void addressesThatCannotBeSentAsTheyAre_areRefused_sayingWhy() {
        for (String address : List.of("ann@-example.com", "ann@example-.com", "ann@exa_mple.com", "ann@example",
                "ann@example.123", "ann@[192.0.2.1]", "ann@example.com.", "ann@@example.com", "Ann <ann@example.com>")) {
            assertThat(AddressRules.check(address).isValid()).as(address).isFalse();
        }
        assertThat(AddressRules.check("zoë@example.com").problem()).contains("non-ASCII local part", "SMTPUTF8");
        assertThat(AddressRules.check("\"a\u0000b\"@example.com").problem()).contains("NUL");
        assertThat(AddressRules.check("ann@example.com\r\nBcc: x@example.com").problem()).contains("line break");
        assertThat(AddressRules.check("a".repeat(65) + "@example.com").problem()).contains("local part longer than 64");
    }

    @Test
    void controlCharacters_areRefused_aTabOnlyWhereTheFormatAllowsIt() {
        for (String value : List.of("a\u0000b", "a\u0007b", "a\u001Bb", "a\u007Fb", "a\u0085b", "a\u009Bb", "a\u2028b", "a\nb")) {
            assertThat(TextRules.problemWithControls(value, true)).as("U+%04X", (int) value.charAt(1)).isPresent();
        }
        assertThat(TextRules.problemWithControls("a\tb", true)).isEmpty();
        assertThat(TextRules.problemWithControls("a\tb", false)).hasValueSatisfying(p -> assertThat(p).contains("tab"));
        assertThat(TextRules.problemWithControls("Grüße, 東京 ✓", false)).isEmpty();
        assertThat(AddressRules.problemWithDisplayName("Ann\u001B[31m")).hasValueSatisfying(p -> assertThat(p).contains("U+001B"));
    }

    @Test
    void hosts_areNamesOrAddresses_withoutAnythingElse() {
        assertThat(HostRules.normalized("Mail.Example.com")).contains("mail.example.com");
        assertThat(HostRules.normalized("localhost")).contains("localhost");
        assertThat(HostRules.normalized("192.0.2.25")).contains("192.0.2.25");
        assertThat(HostRules.normalized("[2001:db8::25]")).contains("[2001:db8::25]");
        assertThat(HostRules.normalized("bücher.example")).contains("xn--bcher-kva.example");
        for (String host : List.of("mail.example.com\r\nRCPT TO:<x@example.com>", "mail example.com", "mail.example.com\u0000",
                "mail.example.com:25", "-mail.example.com", "mail..example.com", "", "x".repeat(254))) {
            assertThat(HostRules.normalized(host)).as(host).isEmpty();
        }
    }
}
