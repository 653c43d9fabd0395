package dev.herald.core.crypto;

import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;

import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * AES-256-GCM under named keys: the primary key encrypts, every key decrypts, so a key can be
 * rotated by adding one. The context is the additional authenticated data: a ciphertext decrypts
 * only with the same context. Ciphertext layout: key-id length (1 byte), key id, 12-byte nonce,
 * ciphertext with its 16-byte tag. The JDK's own AES-GCM, fast enough to seal one token per mail.
 */
public final class AesGcmKeyring implements Cipher {

    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
    private final String primaryKeyId;
    private final SecureRandom random = new SecureRandom();

    /** {@code keys} by id, each {@value #KEY_BYTES} bytes; {@code primaryKeyId} names the one that encrypts. */
    public AesGcmKeyring(Map<String, byte[]> keys, String primaryKeyId) {
        keys.forEach((id, key) -> {
            if (key.length != KEY_BYTES || id.isEmpty() || id.length() > 255) {
                throw new IllegalArgumentException("key '" + id + "' must have a 1-255 character id and " + KEY_BYTES + " bytes");
            }
            this.keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!this.keys.containsKey(primaryKeyId)) {
            throw new IllegalArgumentException("the primary key '" + primaryKeyId + "' is not among the keys");
        }
        this.primaryKeyId = primaryKeyId;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(javax.crypto.Cipher.ENCRYPT_MODE, keys.get(primaryKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            aes.updateAAD(aad(context));
            byte[] sealed = aes.doFinal(plaintext);
            byte[] keyId = primaryKeyId.getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(1 + keyId.length + NONCE_BYTES + sealed.length)
                    .put((byte) keyId.length).put(keyId).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new CipherException("Encryption failed", e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, Map<String, String> context) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(ciphertext);
            byte[] keyId = new byte[buffer.get() & 0xff];
            buffer.get(keyId);
            SecretKeySpec key = keys.get(new String(keyId, StandardCharsets.US_ASCII));
            if (key == null) {
                throw new CipherException("The key of this ciphertext is not in the keyring", null);
            }
            byte[] nonce = new byte[NONCE_BYTES];
            buffer.get(nonce);
            byte[] sealed = new byte[buffer.remaining()];
            buffer.get(sealed);
            javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(javax.crypto.Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            aes.updateAAD(aad(context));
            return aes.doFinal(sealed);
        } catch (GeneralSecurityException | RuntimeException e) {
            if (e instanceof CipherException cipherException) {
                throw cipherException;
            }
            throw new CipherException("Decryption failed: wrong context, wrong key or tampered ciphertext", e);
        }
    }

    /** The context, canonical: sorted by key, each key and value length-prefixed. */
    private static byte[] aad(Map<String, String> context) {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        for (Map.Entry<String, String> entry : new TreeMap<>(context).entrySet()) {
            for (String part : new String[]{entry.getKey(), entry.getValue()}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                buffer.putInt(bytes.length).put(bytes);
            }
        }
        byte[] aad = new byte[buffer.position()];
        buffer.flip().get(aad);
        return aad;
    }
}
