package dev.herald.embedded;

import dev.herald.core.crypto.AesGcmKeyring;
import dev.herald.core.error.CipherException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local runtime's keyring: a file of one {@code <keyId> <base64 AES-256 key>} per line, opened
 * as an {@link AesGcmKeyring} whose last line encrypts and every line decrypts (so a key is
 * rotated by appending one).
 */
public final class KeyringFile {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private KeyringFile() {
    }

    /** Loads the keyring, creating it with one fresh key (readable by the owner only) on first start. */
    public static AesGcmKeyring openOrCreate(Path keyringFile) {
        List<String> lines;
        try {
            if (!Files.exists(keyringFile)) {
                create(keyringFile);
            }
            lines = Files.readAllLines(keyringFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CipherException("Cannot read the keyring " + keyringFile + ": " + e.getMessage(), e);
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
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
            keys.put(parts[0], keyBytes(parts[1]));
            last = parts[0];
        }
        if (last == null) {
            throw new CipherException("The keyring " + keyringFile + " holds no key", null);
        }
        return new AesGcmKeyring(keys, last);
    }

    /** The 32 bytes of a base64 AES-256 key, or null when it is not one. */
    private static byte[] keyBytes(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            return key.length == AesGcmKeyring.KEY_BYTES ? key : null;
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
}
