package dev.herald.aws;

import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;

import java.util.Map;

/**
 * Encrypts with KMS under one key, the context passed as KMS encryption context, which the key
 * policy can require ({@code kms:EncryptionContextKeys}). The API side only encrypts, the send
 * side only decrypts. Errors name the KMS error code, never the data.
 */
public final class KmsCipher implements Cipher {

    private final KmsClient kms;
    private final String keyId;

    public KmsCipher(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        try {
            return kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(plaintext)).encryptionContext(context))
                    .ciphertextBlob().asByteArray();
        } catch (SdkException e) {
            throw new CipherException("KMS Encrypt failed: " + errorCode(e), e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, Map<String, String> context) {
        try {
            return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                            .encryptionContext(context))
                    .plaintext().asByteArray();
        } catch (SdkException e) {
            throw new CipherException("KMS Decrypt failed: " + errorCode(e), e);
        }
    }

    private static String errorCode(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return e.getClass().getSimpleName();
    }
}
