package dev.herald.core.port;

import java.util.Map;

/**
 * Authenticated encryption bound to a context: a ciphertext decrypts only with the exact context
 * it was encrypted with. Failures raise {@link dev.herald.core.error.CipherException}.
 */
public interface Cipher {

    byte[] encrypt(byte[] plaintext, Map<String, String> context);

    byte[] decrypt(byte[] ciphertext, Map<String, String> context);
}
