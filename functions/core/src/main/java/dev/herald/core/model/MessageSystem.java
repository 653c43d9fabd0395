package dev.herald.core.model;

import java.time.Instant;

/**
 * A configured way to send: transport, sender, rate and scheduling settings, job account.
 * {@code maxSendRate} (mails per second) is null when the admin left it to the provider: the
 * provider's own quota where it tells one (SES), a conservative default otherwise.
 * {@code version} is the optimistic-concurrency version the store checks on every update. A system
 * stored before unsubscribe settings existed reads with the defaults.
 */
public record MessageSystem(
        String id,
        String name,
        boolean enabled,
        TransportKind transport,
        Mailbox from,
        String replyTo,
        Double maxSendRate,
        SmtpSettings smtp,
        SesSettings ses,
        Scheduling scheduling,
        UnsubscribeSettings unsubscribe,
        JobAccount jobAccount,
        Instant createdAt,
        Instant updatedAt,
        long version) implements Versioned {

    public MessageSystem {
        unsubscribe = unsubscribe == null ? UnsubscribeSettings.DEFAULT : unsubscribe;
    }

    public boolean hasJobAccount() {
        return jobAccount != null;
    }

    public MessageSystem withJobAccount(JobAccount account, Instant now) {
        return new MessageSystem(id, name, enabled, transport, from, replyTo, maxSendRate, smtp, ses,
                scheduling, unsubscribe, account, createdAt, now, version);
    }

    /** This value as the store holds it after a successful update. */
    public MessageSystem withVersion(long newVersion) {
        return new MessageSystem(id, name, enabled, transport, from, replyTo, maxSendRate, smtp, ses, scheduling, unsubscribe, jobAccount,
                createdAt, updatedAt, newVersion);
    }
}
