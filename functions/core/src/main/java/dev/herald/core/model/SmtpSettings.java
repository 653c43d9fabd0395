package dev.herald.core.model;

public record SmtpSettings(String host, int port, SmtpSecurity security) {
}
