package dev.herald.core.error;

/** A secret could not be encrypted or decrypted (wrong context, tampered ciphertext, denied key). */
public class CipherException extends HeraldException {
    public CipherException(String message, Throwable cause) {
        super(message, cause);
    }
}
