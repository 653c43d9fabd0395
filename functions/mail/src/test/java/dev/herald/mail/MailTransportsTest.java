package dev.herald.mail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Scheduling;
import dev.herald.core.model.SmtpSecurity;
import dev.herald.core.model.SmtpSettings;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.MailHeader;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MailTransportsTest {

    private static final ServerSetup[] SERVERS = {ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort()};

    @RegisterExtension
    static final GreenMailExtension GREENMAIL = new GreenMailExtension(SERVERS)
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", "s3cret"))
            .withPerMethodLifecycle(true);

    @TempDir
    Path dataDir;

    private MailTransports transports() {
        return new MailTransports(dataDir.resolve("outbox"), Duration.ofSeconds(5), "*");
    }

    private static MailBatch batch(String... recipients) {
        List<OutgoingMail> mails = new java.util.ArrayList<>();
        for (int i = 0; i < recipients.length; i++) {
            mails.add(new OutgoingMail("m1-0-" + i, new Mailbox(recipients[i], "Zoë " + i), "Grüße, Zoë " + i,
                    "Hallo " + i, "<p>Hallo " + i + "</p>", Map.of(), List.of(
                    new MailHeader("List-Unsubscribe", "<https://herald.example.com/v1/unsubscribe/token" + i + ">"),
                    new MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                    new MailHeader("List-Id", "\"News\" <news.example.com>"))));
        }
        return new MailBatch("m1", 0, new Mailbox("news@example.com", "Example News"), "replies@example.com",
                "Grüße, {{name}}", "Hallo", "<p>Hallo</p>", mails);
    }

    private static MessageSystem smtp(int port, SmtpSecurity security) {
        return smtp("127.0.0.1", port, security);
    }

    private static MessageSystem smtp(String host, int port, SmtpSecurity security) {
        Instant now = Instant.now();
        return new MessageSystem("relay", "Relay", true, TransportKind.SMTP, new Mailbox("news@example.com", null),
                null, 10.0, new SmtpSettings(host, port, security), null, new Scheduling(true, "default", null),
                null, null, now, now, 0);
    }

    @Test
    void outbox_writesOneParsableEmlPerRecipient_withEncodedHeadersAndBothBodies() throws Exception {
        MessageSystem outbox = new MessageSystem("outbox", "Outbox", true, TransportKind.OUTBOX,
                new Mailbox("news@example.com", "Example News"), null, 10.0, null, null, new Scheduling(true, "default", null),
                null, null, Instant.now(), Instant.now(), 0);

        List<Delivery> deliveries;
        try (Transport transport = transports().open(outbox, Optional.empty())) {
            deliveries = transport.send(batch("a@example.com", "b@example.com"));
        }

        assertThat(deliveries).extracting(Delivery::kind).containsOnly(Delivery.Kind.DELIVERED);
        Path file = dataDir.resolve("outbox/m1/m1-0-1.eml");
        assertThat(Files.list(dataDir.resolve("outbox/m1"))).hasSize(2);
        MimeMessage parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(parsed.getSubject()).isEqualTo("Grüße, Zoë 1");
        assertThat(parsed.getHeader("Subject")[0]).startsWith("=?UTF-8?");
        assertThat(parsed.getAllRecipients()[0].toString()).contains("b@example.com");
        assertThat(parsed.getReplyTo()[0].toString()).isEqualTo("replies@example.com");
        assertThat(parsed.getMessageID()).isEqualTo(deliveries.get(1).providerMessageId()).endsWith("@example.com>");
        assertThat(parsed.getHeader(MimeMails.HERALD_MESSAGE_HEADER)[0]).isEqualTo("m1");
        assertThat(parsed.getHeader("List-Unsubscribe")).containsExactly("<https://herald.example.com/v1/unsubscribe/token1>");
        assertThat(parsed.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(parsed.getHeader("List-Id")).containsExactly("\"News\" <news.example.com>");
        MimeMultipart alternative = (MimeMultipart) parsed.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Hallo 1");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>Hallo 1</p>");
        assertThat(Files.list(dataDir.resolve("outbox/m1")).map(Path::toString)).noneMatch(p -> p.endsWith(".part"));
    }

    @Test
    void smtp_authenticatesWithTheJobAccount_andDelivers() throws Exception {
        List<Delivery> deliveries;
        try (Transport transport = transports().open(smtp(GREENMAIL.getSmtp().getPort(), SmtpSecurity.NONE),
                Optional.of(new Credentials("mailer", "s3cret")))) {
            deliveries = transport.send(batch("a@example.com", "b@example.com"));
        }

        assertThat(deliveries).extracting(Delivery::kind).containsOnly(Delivery.Kind.DELIVERED);
        MimeMessage[] received = GREENMAIL.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[0].getSubject()).isEqualTo("Grüße, Zoë 0");
        assertThat(received[0].getHeader("List-Unsubscribe")).containsExactly("<https://herald.example.com/v1/unsubscribe/token0>");
        assertThat(received[0].getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        assertThat(GreenMailUtil.getBody(received[1])).contains("Hallo 1");
    }

    @Test
    void smtpOverTls_delivers() throws Exception {
        try (Transport transport = transports().open(smtp("localhost", GREENMAIL.getSmtps().getPort(), SmtpSecurity.TLS),
                Optional.of(new Credentials("mailer", "s3cret")))) {
            assertThat(transport.send(batch("a@example.com"))).singleElement()
                    .satisfies(d -> assertThat(d.kind()).as(d.error()).isEqualTo(Delivery.Kind.DELIVERED));
        }
        assertThat(GREENMAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void smtpWithStarttls_neverFallsBackToPlaintext_whenTheRelayDoesNotOfferIt() {
        try (Transport transport = transports().open(smtp(GREENMAIL.getSmtp().getPort(), SmtpSecurity.STARTTLS),
                Optional.of(new Credentials("mailer", "s3cret")))) {
            assertThat(transport.send(batch("a@example.com"))).singleElement()
                    .satisfies(d -> assertThat(d.kind()).isNotEqualTo(Delivery.Kind.DELIVERED));
        }
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void smtp_wrongPassword_isPermanent_andNothingIsSent() {
        try (Transport transport = transports().open(smtp(GREENMAIL.getSmtp().getPort(), SmtpSecurity.NONE),
                Optional.of(new Credentials("mailer", "wrong")))) {
            assertThat(transport.send(batch("a@example.com"))).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(Delivery.Kind.PERMANENT_FAILURE);
                assertThat(d.error()).startsWith("AuthenticationFailed").doesNotContain("wrong");
            });
        }
        assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void smtp_unreachableRelay_isTransient() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Transport transport = transports().open(smtp(closedPort, SmtpSecurity.NONE),
                Optional.of(new Credentials("mailer", "s3cret")))) {
            assertThat(transport.send(batch("a@example.com"))).singleElement().satisfies(d -> {
                assertThat(d.kind()).isEqualTo(Delivery.Kind.TRANSIENT_FAILURE);
                assertThat(d.error()).startsWith("ConnectionFailed");
            });
        }
    }
}
