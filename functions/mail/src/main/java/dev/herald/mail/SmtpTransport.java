package dev.herald.mail;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.SmtpSecurity;
import dev.herald.core.model.SmtpSettings;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends through an SMTP relay over one connection per run, authenticating with the job account.
 * SMTP replies become deliveries: 5xx permanent, 4xx transient, SES's "454 Throttling" throttled.
 */
final class SmtpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpTransport.class);
    private static final int BATCH_SIZE = 50;

    private final Session session;
    private final SmtpSettings settings;
    private final Optional<Credentials> credentials;
    private jakarta.mail.Transport connection;

    SmtpTransport(MessageSystem system, Optional<Credentials> credentials, Duration timeout, String trustedHosts) {
        this.settings = system.smtp();
        this.credentials = credentials;
        Properties properties = new Properties();
        properties.put("mail.smtp.host", settings.host());
        properties.put("mail.smtp.port", String.valueOf(settings.port()));
        properties.put("mail.smtp.auth", String.valueOf(credentials.isPresent()));
        properties.put("mail.smtp.connectiontimeout", String.valueOf(timeout.toMillis()));
        properties.put("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
        properties.put("mail.smtp.writetimeout", String.valueOf(timeout.toMillis()));
        if (settings.security() == SmtpSecurity.STARTTLS) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        } else if (settings.security() == SmtpSecurity.TLS) {
            properties.put("mail.smtp.ssl.enable", "true");
        }
        if (settings.security() != SmtpSecurity.NONE) {
            boolean privateCertificate = trustedHosts != null && !trustedHosts.isBlank();
            // A host trusted explicitly has a private certificate: neither its chain nor its name is checked.
            properties.put("mail.smtp.ssl.checkserveridentity", String.valueOf(!privateCertificate));
            if (privateCertificate) {
                properties.put("mail.smtp.ssl.trust", trustedHosts);
            }
        }
        this.session = Session.getInstance(properties);
    }

    @Override
    public int maxBatchSize() {
        return BATCH_SIZE;
    }

    @Override
    public List<Delivery> send(MailBatch batch) {
        List<Delivery> deliveries = new ArrayList<>(batch.mails().size());
        for (OutgoingMail mail : batch.mails()) {
            deliveries.add(sendOne(batch, mail));
        }
        return deliveries;
    }

    private Delivery sendOne(MailBatch batch, OutgoingMail mail) {
        MimeMessage message;
        try {
            message = MimeMails.build(session, batch, mail);
        } catch (MessagingException e) {
            return Delivery.permanent("MessageUnbuildable: " + e.getMessage());
        }
        try {
            connected().sendMessage(message, message.getAllRecipients());
            return Delivery.delivered(message.getMessageID());
        } catch (AuthenticationFailedException e) {
            disconnect();
            return Delivery.permanent("AuthenticationFailed: the relay refused the job account");
        } catch (SMTPAddressFailedException e) {
            return byReplyCode(e.getReturnCode(), "RecipientRejected", e.getMessage());
        } catch (SMTPSendFailedException e) {
            return byReplyCode(e.getReturnCode(), "SendRejected", e.getMessage());
        } catch (SendFailedException e) {
            if (e.getNextException() instanceof SMTPAddressFailedException address) {
                return byReplyCode(address.getReturnCode(), "RecipientRejected", address.getMessage());
            }
            disconnect();
            return Delivery.transientFailure("SendFailed: " + firstLine(e.getMessage()));
        } catch (MessagingException e) {
            disconnect();
            return Delivery.transientFailure("ConnectionFailed: " + firstLine(e.getMessage()));
        }
    }

    private static Delivery byReplyCode(int code, String kind, String detail) {
        String error = kind + ": " + firstLine(detail);
        if (code == 454 || (detail != null && detail.contains("Throttling"))) {
            return Delivery.throttled(error);
        }
        return code >= 500 ? Delivery.permanent(error) : Delivery.transientFailure(error);
    }

    private jakarta.mail.Transport connected() throws MessagingException {
        if (connection == null || !connection.isConnected()) {
            jakarta.mail.Transport transport = session.getTransport("smtp");
            if (credentials.isPresent()) {
                transport.connect(settings.host(), settings.port(), credentials.get().username(),
                        credentials.get().password());
            } else {
                transport.connect();
            }
            connection = transport;
        }
        return connection;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (MessagingException e) {
                LOG.debug("Closing a broken SMTP connection failed", e);
            }
            connection = null;
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }

    @Override
    public void close() {
        disconnect();
    }
}
