package dev.herald.core.testing;

import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Not encryption: prefixes the context so that a wrong context fails, as a real cipher's does. */
public final class ReversingCipher implements Cipher {

    @Override
    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        byte[] prefix = (new TreeMap<>(context) + "|").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(prefix, prefix.length + plaintext.length);
        System.arraycopy(plaintext, 0, out, prefix.length, plaintext.length);
        return out;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, Map<String, String> context) {
        byte[] prefix = (new TreeMap<>(context) + "|").getBytes(StandardCharsets.UTF_8);
        if (ciphertext.length < prefix.length
                || !Arrays.equals(Arrays.copyOf(ciphertext, prefix.length), prefix)) {
            throw new CipherException("context does not match", null);
        }
        return Arrays.copyOfRange(ciphertext, prefix.length, ciphertext.length);
    }
}
