package dev.herald.aws;

import dev.herald.core.crypto.AesGcmKeyring;
import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * AES-256-GCM under a key derived (SHA-256) from a Secrets Manager secret that the stack generates:
 * the unsubscribe links' key, the same for every function. The secret is read once, on first use,
 * so that a function that never seals or opens a link never calls Secrets Manager. The links never
 * expire, so the secret must never change: the stack keeps it when it is deleted.
 */
public final class SecretKeyCipher implements Cipher {

    private static final String KEY_ID = "s1";
    private final SecretsManagerClient secrets;
    private final String secretArn;
    private volatile AesGcmKeyring keyring;

    public SecretKeyCipher(SecretsManagerClient secrets, String secretArn) {
        this.secrets = secrets;
        this.secretArn = secretArn;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        return keyring().encrypt(plaintext, context);
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, Map<String, String> context) {
        return keyring().decrypt(ciphertext, context);
    }

    private AesGcmKeyring keyring() {
        AesGcmKeyring loaded = keyring;
        if (loaded == null) {
            synchronized (this) {
                if (keyring == null) {
                    keyring = new AesGcmKeyring(Map.of(KEY_ID, keyFrom(secretValue())), KEY_ID);
                }
                loaded = keyring;
            }
        }
        return loaded;
    }

    private String secretValue() {
        try {
            String value = secrets.getSecretValue(r -> r.secretId(secretArn)).secretString();
            if (value == null || value.length() < 32) {
                throw new CipherException("The secret " + secretArn + " must hold a string of 32 characters or more", null);
            }
            return value;
        } catch (SdkException e) {
            throw new CipherException("Cannot read the secret " + secretArn + ": " + e.getMessage(), e);
        }
    }

    private static byte[] keyFrom(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
