package dev.herald.core.system;

import dev.herald.core.model.JobAccount;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.port.Cipher;
import dev.herald.core.port.Credentials;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Encrypts and decrypts job-account passwords. The encryption context binds a ciphertext to its
 * message system and purpose, so a password copied to another system does not decrypt.
 */
public final class JobAccounts {

    public static final String CONTEXT_MESSAGE_SYSTEM = "herald:messageSystem";
    public static final String CONTEXT_PURPOSE = "herald:purpose";
    public static final String PURPOSE_JOB_ACCOUNT = "job-account";

    private final Cipher cipher;

    public JobAccounts(Cipher cipher) {
        this.cipher = cipher;
    }

    public static Map<String, String> context(String messageSystemId) {
        return Map.of(CONTEXT_MESSAGE_SYSTEM, messageSystemId, CONTEXT_PURPOSE, PURPOSE_JOB_ACCOUNT);
    }

    public JobAccount seal(String messageSystemId, String name, String password) {
        byte[] ciphertext = cipher.encrypt(password.getBytes(StandardCharsets.UTF_8), context(messageSystemId));
        return new JobAccount(name, ciphertext);
    }

    /** The system's decrypted job account, or empty when it has none. */
    public Optional<Credentials> decrypt(MessageSystem system) {
        if (!system.hasJobAccount()) {
            return Optional.empty();
        }
        byte[] plaintext = cipher.decrypt(system.jobAccount().encryptedPassword(), context(system.id()));
        return Optional.of(new Credentials(system.jobAccount().name(), new String(plaintext, StandardCharsets.UTF_8)));
    }
}
