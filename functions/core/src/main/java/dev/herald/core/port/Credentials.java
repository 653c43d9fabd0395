package dev.herald.core.port;

/** A decrypted job account; exists only inside a dispatch. */
public record Credentials(String username, String password) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=<redacted>]";
    }
}
