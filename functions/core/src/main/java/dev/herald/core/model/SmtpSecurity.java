package dev.herald.core.model;

/** How the SMTP connection is protected. */
public enum SmtpSecurity {
    /** Plain connection upgraded with STARTTLS, which is required. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, usually port 465). */
    TLS,
    /** No encryption: only for relays on a trusted network or tests. */
    NONE
}
