package dev.herald.mail;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Transport;
import dev.herald.core.port.TransportFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox and SMTP transports.
 *
 * @param outbox       where the outbox transport writes its files
 * @param smtpTimeout  connect, read and write timeout of SMTP connections
 * @param trustedHosts hosts whose TLS certificates are trusted without CA chain or name check ("*" for
 *                     all; null to trust the JVM's CAs only): for relays with private certificates
 */
public record MailTransports(Path outbox, Duration smtpTimeout, String trustedHosts) implements TransportFactory {

    @Override
    public Set<TransportKind> supportedKinds() {
        return EnumSet.of(TransportKind.OUTBOX, TransportKind.SMTP);
    }

    @Override
    public Transport open(MessageSystem system, Optional<Credentials> jobAccount) {
        return switch (system.transport()) {
            case OUTBOX -> new OutboxTransport(outbox);
            case SMTP -> new SmtpTransport(system, jobAccount, smtpTimeout, trustedHosts);
            case SES -> throw new IllegalArgumentException("SES is not a mail transport of this module");
        };
    }
}
