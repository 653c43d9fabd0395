package dev.herald.core.unsubscribe;

import dev.herald.core.crypto.AesGcmKeyring;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.SuppressionReason;
import dev.herald.core.port.MailHeader;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.Harness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One-click unsubscribe: per-recipient sealed links, list headers, and what following a link does. */
class UnsubscribeTest {

    private final Harness h = new Harness();
    private String messageId;

    private static String tokenOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String header(OutgoingMail mail, String name) {
        return mail.headers().stream().filter(x -> x.name().equals(name)).map(MailHeader::value).findFirst().orElse(null);
    }

    private List<OutgoingMail> sendToThree(String system, String html) {
        String sendAt = h.clock.instant().plusSeconds(60).toString();
        String taskId = h.schedule.schedule(Harness.ALICE, new ScheduleRequest(system, "Hello {{name}}", "Bye: {{unsubscribeUrl}}",
                html, Harness.recipients(3), sendAt, "Europe/Paris", null, null), null, null).view().tasks().get(0).id();
        messageId = h.store.findTask(taskId).orElseThrow().messageId();
        h.clock.advance(Duration.ofSeconds(60));
        h.fire(taskId);
        return h.transport.delivered;
    }

    @Test
    void everyMail_carriesItsRecipientsOneClickLink_inTheHeaders_andAsTheTemplateVariable() {
        List<OutgoingMail> mails = sendToThree("outbox", null);

        assertThat(mails).hasSize(3);
        for (OutgoingMail mail : mails) {
            String link = header(mail, "List-Unsubscribe");
            assertThat(link).startsWith("<https://herald.example.com/v1/unsubscribe/").endsWith(">");
            String url = link.substring(1, link.length() - 1);
            assertThat(mail.text()).isEqualTo("Bye: " + url);
            assertThat(mail.templateData()).containsEntry("unsubscribeUrl", url);
            assertThat(header(mail, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
            assertThat(header(mail, "List-Id")).isEqualTo("\"Outbox outbox\" <outbox.example.com>");
            assertThat(mail.headers()).extracting(MailHeader::name)
                    .containsExactly("List-Unsubscribe", "List-Unsubscribe-Post", "List-Id");
            // Opaque: nothing of the address shows in the link.
            assertThat(url).doesNotContain("user", "example.com/user", mail.to().email());
            UnsubscribeTarget target = h.tokens.open(tokenOf(url)).orElseThrow();
            assertThat(target.address()).isEqualTo(mail.to().email());
            assertThat(target.messageSystemId()).isEqualTo("outbox");
            assertThat(target.messageId()).isEqualTo(messageId);
        }
        assertThat(mails).extracting(m -> header(m, "List-Unsubscribe")).doesNotHaveDuplicates();
    }

    @Test
    void aTransactionalSystem_sendsNoListHeaders_andLeavesTheVariableToTheCallersData() {
        h.systems.create(Harness.ADMIN, new MessageSystemSpec("receipts", "Receipts", true, "outbox", "shop@example.com",
                null, null, 100.0, null, null, null, new MessageSystemSpec.UnsubscribeSpec(false, null)));
        String sendAt = h.clock.instant().plusSeconds(60).toString();
        String taskId = h.schedule.schedule(Harness.ALICE, new ScheduleRequest("receipts", "Receipt", "Manage: {{unsubscribeUrl}}",
                null, List.of(new RecipientInput("ann@example.com", null, Map.of("unsubscribeUrl", "https://shop.example.com/prefs"))),
                sendAt, "Europe/Paris", null, null), null, null).view().tasks().get(0).id();
        h.clock.advance(Duration.ofSeconds(60));
        h.fire(taskId);

        OutgoingMail mail = h.transport.delivered.get(0);
        assertThat(mail.headers()).isEmpty();
        assertThat(mail.text()).isEqualTo("Manage: https://shop.example.com/prefs");
    }

    @Test
    void followingALink_suppressesThatAddressForThatSystem_once_andTheNextMessageSparesIt() {
        String url = header(sendToThree("outbox", null).get(1), "List-Unsubscribe");
        String token = tokenOf(url.substring(1, url.length() - 1));
        h.clock.advance(Duration.ofMinutes(5));

        UnsubscribeService.Confirmation confirmation = h.unsubscribe.unsubscribe(token);
        h.clock.advance(Duration.ofMinutes(5));
        h.unsubscribe.unsubscribe(token); // a mail client's retry

        assertThat(confirmation).isEqualTo(new UnsubscribeService.Confirmation("Outbox outbox", "u…@example.com"));
        Suppression entry = h.store.findSuppressions("outbox", List.of("user1@example.com")).get("user1@example.com");
        assertThat(entry.reason()).isEqualTo(SuppressionReason.UNSUBSCRIBED);
        assertThat(entry.at()).isEqualTo(h.clock.instant().minus(Duration.ofMinutes(5)));
        assertThat(entry.messageId()).isNotNull();
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).hasSize(1);

        h.transport.delivered.clear();
        String next = h.scheduleInAMinute(3, null);
        h.clock.advance(Duration.ofSeconds(60));
        h.fire(next);
        assertThat(h.transport.delivered).extracting(m -> m.to().email()).containsExactly("user0@example.com", "user2@example.com");
        Message message = h.store.findMessage(h.store.findTask(next).orElseThrow().messageId()).orElseThrow();
        assertThat(message.status()).isEqualTo(MessageStatus.SENT);
        assertThat(message.counts().suppressed()).isEqualTo(1);
        assertThat(h.store.listChunks(message.id()).get(0).recipients().get(1).state()).isEqualTo(RecipientState.SUPPRESSED);
    }

    @Test
    void aConfirmationChangesNothing() {
        String url = h.links.urlFor("outbox", "Ann@Example.com", "m1");

        assertThat(h.unsubscribe.confirmation(tokenOf(url)).maskedAddress()).isEqualTo("a…@example.com");
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).isEmpty();
    }

    @Test
    void forgedTruncatedOrAlteredTokens_areNotFound_andChangeNothing() {
        String token = tokenOf(h.links.urlFor("outbox", "ann@example.com", "m1"));
        byte[] raw = Base64.getUrlDecoder().decode(token);
        List<String> bad = new java.util.ArrayList<>(List.of("", "x", token.substring(0, token.length() - 1),
                token.substring(0, token.length() / 2), token + "A", token + "%2F", "../" + token, "*" + token.substring(1)));
        for (int i = 0; i < raw.length; i++) { // every single flipped bit: none re-aims the link
            byte[] altered = raw.clone();
            altered[i] ^= 1;
            bad.add(Base64.getUrlEncoder().withoutPadding().encodeToString(altered));
        }
        // A token sealed under another key.
        bad.add(new UnsubscribeTokens(new AesGcmKeyring(Map.of("test", Harness.randomKey()), "test"))
                .seal(new UnsubscribeTarget("outbox", "ann@example.com", "m1")));

        for (String forged : bad) {
            assertThat(h.tokens.open(forged)).as(forged).isEqualTo(Optional.empty());
            assertThatThrownBy(() -> h.unsubscribe.unsubscribe(forged)).as(forged).isInstanceOf(NotFoundException.class);
        }
        assertThat(h.store.listSuppressions("outbox", null, 10).items()).isEmpty();
        assertThat(h.tokens.open(token)).isPresent();
    }

    @Test
    void aLinkNeverExpires_andAddressesAreBoundByTheirKey() {
        String url = h.links.urlFor("outbox", "Ann@EXAMPLE.com", "m1");
        h.clock.advance(Duration.ofDays(3650));

        assertThat(h.tokens.open(tokenOf(url))).contains(new UnsubscribeTarget("outbox", "ann@example.com", "m1"));
    }

    @Test
    void aSystemMayRequireTheLinkInHtmlBodies_refusingOneWithout_atIntake() {
        h.systems.create(Harness.ADMIN, new MessageSystemSpec("news", "News", true, "outbox", "news@example.com",
                null, null, 100.0, null, null, null, new MessageSystemSpec.UnsubscribeSpec(null, true)));
        String sendAt = h.clock.instant().plusSeconds(60).toString();

        assertThatThrownBy(() -> h.schedule.schedule(Harness.ALICE, new ScheduleRequest("news", "Hi", null,
                "<p>No way out</p>{{#if vip}}<a href=\"{{unsubscribeUrl}}\">x</a>{{/if}}", Harness.recipients(2), sendAt,
                "Europe/Paris", null, null), null, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field,
                        FieldError::message).containsExactly(org.assertj.core.groups.Tuple.tuple("html",
                        "must show the unsubscribe link, {{unsubscribeUrl}}: message system 'news' requires it in HTML bodies")));

        assertThat(h.schedule.schedule(Harness.ALICE, new ScheduleRequest("news", "Hi", "no link needed in text",
                "<p>Bye: <a href=\"{{unsubscribeUrl}}\">unsubscribe</a></p>", Harness.recipients(2), sendAt, "Europe/Paris",
                null, null), null, null).view().message().status()).isEqualTo(MessageStatus.SCHEDULED);
        assertThat(h.schedule.schedule(Harness.ALICE, new ScheduleRequest("news", "Hi", "a text body only", null,
                Harness.recipients(2), sendAt, "Europe/Paris", null, null), null, null).view().message().status())
                .isEqualTo(MessageStatus.SCHEDULED);
    }

    @Test
    void requiringTheLink_withUnsubscribeOff_isRefused() {
        assertThatThrownBy(() -> h.systems.create(Harness.ADMIN, new MessageSystemSpec("odd", "Odd", true, "outbox",
                "news@example.com", null, null, 100.0, null, null, null, new MessageSystemSpec.UnsubscribeSpec(false, true))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors()).extracting(FieldError::field)
                        .containsExactly("unsubscribe.requireLinkInHtml"));
    }

    @Test
    void theListIdNamesTheSystemUnderItsSendersDomain_quotingOnlyPlainNames() {
        var outbox = h.store.findMessageSystem("outbox").orElseThrow();
        var plain = h.systems.create(Harness.ADMIN, new MessageSystemSpec("quoted", "Say \"hi\"", true, "outbox",
                "a@lists.example.org", null, null, 1.0, null, null, null, null));
        var unicode = h.systems.create(Harness.ADMIN, new MessageSystemSpec("zoe", "Zoë's news", true, "outbox",
                "a@example.org", null, null, 1.0, null, null, null, null));

        assertThat(ListHeaders.listId(outbox)).isEqualTo("\"Outbox outbox\" <outbox.example.com>");
        assertThat(ListHeaders.listId(plain)).isEqualTo("\"Say \\\"hi\\\"\" <quoted.lists.example.org>");
        assertThat(ListHeaders.listId(unicode)).isEqualTo("<zoe.example.org>");
    }

    @Test
    void theBaseUrlMustBeAnAbsoluteHttpUrl() {
        AesGcmKeyring key = new AesGcmKeyring(Map.of("k", Harness.randomKey()), "k");
        for (String bad : new String[]{"localhost:8080", "ftp://x.example.com", "https://x.example.com/?a=1", "/relative"}) {
            assertThatThrownBy(() -> new UnsubscribeLinks(new UnsubscribeTokens(key), bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new UnsubscribeLinks(new UnsubscribeTokens(key), "http://localhost:8080/").urlFor("s", "a@b.example", "m"))
                .startsWith("http://localhost:8080/v1/unsubscribe/");
    }
}
