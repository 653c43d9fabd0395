package dev.herald.mail;

import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Writes one {@code .eml} per recipient to {@code <outbox>/<messageId>/<recipientKey>.eml}. A file
 * appears whole or not at all (written aside, then moved), and a resend replaces it.
 */
final class OutboxTransport implements Transport {

    private static final int BATCH_SIZE = 50;
    private final Path outbox;
    private final Session session = Session.getInstance(new Properties());

    OutboxTransport(Path outbox) {
        this.outbox = outbox;
    }

    @Override
    public int maxBatchSize() {
        return BATCH_SIZE;
    }

    @Override
    public List<Delivery> send(MailBatch batch) {
        List<Delivery> deliveries = new ArrayList<>(batch.mails().size());
        Path directory = outbox.resolve(safe(batch.messageId()));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            Delivery failure = Delivery.transientFailure("OutboxUnwritable: " + e.getClass().getSimpleName());
            batch.mails().forEach(m -> deliveries.add(failure));
            return deliveries;
        }
        for (OutgoingMail mail : batch.mails()) {
            deliveries.add(write(directory, batch, mail));
        }
        return deliveries;
    }

    private Delivery write(Path directory, MailBatch batch, OutgoingMail mail) {
        Path target = directory.resolve(safe(mail.recipientKey()) + ".eml");
        Path partial = directory.resolve(safe(mail.recipientKey()) + ".eml.part");
        try {
            MimeMessage message = MimeMails.build(session, batch, mail);
            try (OutputStream out = Files.newOutputStream(partial)) {
                message.writeTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Delivery.delivered(message.getMessageID());
        } catch (MessagingException e) {
            return Delivery.permanent("MessageUnbuildable: " + e.getMessage());
        } catch (IOException e) {
            return Delivery.transientFailure("OutboxUnwritable: " + e.getClass().getSimpleName());
        }
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Override
    public void close() {
    }
}
