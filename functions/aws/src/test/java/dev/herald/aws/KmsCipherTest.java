package dev.herald.aws;

import dev.herald.core.error.CipherException;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The KMS cipher against moto's KMS, which binds the encryption context into each ciphertext as KMS does. */
class KmsCipherTest {

    private static final Map<String, String> RELAY = Map.of("herald:messageSystem", "relay", "herald:purpose", "job-account");
    private static final Map<String, String> NEWS = Map.of("herald:messageSystem", "news", "herald:purpose", "job-account");
    private static final byte[] SECRET = "s3cret-password".getBytes(StandardCharsets.UTF_8);
    private static Emulator moto;
    private static KmsClient kms;
    private static KmsCipher cipher;
    private static String otherKey;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = Emulator.moto();
        kms = AwsClients.kms(moto.endpoint());
        String key = kms.createKey(r -> r.description("herald")).keyMetadata().keyId();
        kms.createAlias(r -> r.aliasName("alias/herald-test").targetKeyId(key));
        otherKey = kms.createKey(r -> r.description("another")).keyMetadata().keyId();
        cipher = new KmsCipher(kms, "alias/herald-test");
    }

    @AfterAll
    static void stopMoto() throws Exception {
        kms.close();
        moto.close();
    }

    @Test
    void whatIsEncryptedUnderAContext_decryptsUnderTheSameContext() {
        byte[] sealed = cipher.encrypt(SECRET, RELAY);

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
        assertThat(cipher.decrypt(sealed, RELAY)).isEqualTo(SECRET);
    }

    @Test
    void underAnotherMessageSystemsContext_decryptingFails_withTheDomainError_andNoPlaintext() {
        byte[] sealed = cipher.encrypt(SECRET, RELAY);

        assertThatThrownBy(() -> cipher.decrypt(sealed, NEWS)).isInstanceOf(CipherException.class)
                .hasMessage("KMS Decrypt failed: InvalidCiphertextException")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("s3cret"));
        assertThatThrownBy(() -> cipher.decrypt(sealed, Map.of())).isInstanceOf(CipherException.class);
    }

    @Test
    void withAnotherKey_decryptingFails_withTheDomainError() {
        byte[] sealed = cipher.encrypt(SECRET, RELAY);

        assertThatThrownBy(() -> new KmsCipher(kms, otherKey).decrypt(sealed, RELAY)).isInstanceOf(CipherException.class)
                .hasMessageStartingWith("KMS Decrypt failed: ")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain("s3cret"));
    }

    @Test
    void anUnknownKey_failsToEncrypt_withTheDomainError() {
        assertThatThrownBy(() -> new KmsCipher(kms, "alias/nothing-here").encrypt(SECRET, RELAY))
                .isInstanceOf(CipherException.class).hasMessage("KMS Encrypt failed: NotFoundException");
    }
}
