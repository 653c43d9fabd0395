package dev.herald.embedded;

import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;

import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AES-256-GCM with keys from a keyring file, one {@code <keyId> <base64 key>} per line; the last
 * line encrypts, every line decrypts (so a key can be rotated by appending one). The encryption
 * context is the additional authenticated data: a ciphertext decrypts only with the same context.
 * Ciphertext layout: key-id length (1 byte), key id, 12-byte nonce, ciphertext with 16-byte tag.
 */
public final class KeyringCipher implements Cipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final java.util.regex.Pattern KEY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private final Map<String, SecretKeySpec> keys;
    private final String primaryKeyId;
    private final SecureRandom random = new SecureRandom();

    private KeyringCipher(Map<String, SecretKeySpec> keys, String primaryKeyId) {
        this.keys = keys;
        this.primaryKeyId = primaryKeyId;
    }

    /** Loads the keyring, creating it with one fresh key (readable by the owner only) on first start. */
    public static KeyringCipher openOrCreate(Path keyringFile) {
        List<String> lines;
        try {
            if (!Files.exists(keyringFile)) {
                create(keyringFile);
            }
            lines = Files.readAllLines(keyringFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CipherException("Cannot read the keyring " + keyringFile + ": " + e.getMessage(), e);
        }
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        String last = null;
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String problem = parts.length != 2 ? "expected two words, '<keyId> <base64 AES-256 key>'"
                    : !KEY_ID.matcher(parts[0]).matches() ? "the key id must be 1-64 letters, digits, '.', '_' or '-'"
                    : keys.containsKey(parts[0]) ? "the key id '" + parts[0] + "' is there twice"
                    : keyBytes(parts[1]) == null ? "the key must be 32 bytes in base64 (44 characters)"
                    : null;
            if (problem != null) {
                // The line is never quoted: it may hold key material.
                throw new CipherException("The keyring " + keyringFile + ", line " + number + ": " + problem, null);
            }
            keys.put(parts[0], new SecretKeySpec(keyBytes(parts[1]), "AES"));
            last = parts[0];
        }
        if (last == null) {
            throw new CipherException("The keyring " + keyringFile + " holds no key", null);
        }
        return new KeyringCipher(keys, last);
    }

    /** The 32 bytes of a base64 AES-256 key, or null when it is not one. */
    private static byte[] keyBytes(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            return key.length == 32 ? key : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static void create(Path keyringFile) throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String content = "# Herald keyring: <keyId> <base64 AES-256 key>; the last line encrypts. Keep it secret.\n"
                + "k1 " + Base64.getEncoder().encodeToString(key) + "\n";
        Files.createDirectories(keyringFile.toAbsolutePath().getParent());
        try {
            Files.createFile(keyringFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(keyringFile);
        }
        Files.writeString(keyringFile, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
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
