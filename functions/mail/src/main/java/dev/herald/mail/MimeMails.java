package dev.herald.mail;

import dev.herald.core.model.Mailbox;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.MailHeader;
import dev.herald.core.port.OutgoingMail;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Builds the RFC 5322 message of one outgoing mail with Jakarta Mail: headers encoded, bodies as alternatives. */
final class MimeMails {

    static final String HERALD_MESSAGE_HEADER = "X-Herald-Message-Id";

    private MimeMails() {
    }

    static MimeMessage build(Session session, MailBatch batch, OutgoingMail mail) throws MessagingException {
        String messageIdHeader = "<" + UUID.randomUUID() + "@" + domainOf(batch.from().email()) + ">";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageIdHeader);
            }
        };
        message.setFrom(address(batch.from()));
        if (batch.replyTo() != null) {
            message.setReplyTo(new InternetAddress[]{new InternetAddress(batch.replyTo())});
        }
        message.setRecipient(jakarta.mail.Message.RecipientType.TO, address(mail.to()));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new java.util.Date());
        message.setHeader(HERALD_MESSAGE_HEADER, batch.messageId());
        for (MailHeader header : mail.headers()) {
            message.setHeader(header.name(), header.value());
        }
        if (mail.text() != null && mail.html() != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
        } else if (mail.html() != null) {
            message.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
        } else {
            message.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
        }
        message.saveChanges();
        return message;
    }

    private static InternetAddress address(Mailbox mailbox) throws MessagingException {
        try {
            return mailbox.name() == null || mailbox.name().isEmpty()
                    ? new InternetAddress(mailbox.email())
                    : new InternetAddress(mailbox.email(), mailbox.name(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException("UTF-8 unsupported", e);
        }
    }

    private static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1);
    }
}
