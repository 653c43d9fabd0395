package dev.herald.embedded;

import dev.herald.core.crypto.AesGcmKeyring;
import dev.herald.core.error.CipherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyringFileTest {

    private static final Map<String, String> CONTEXT = Map.of("herald:messageSystem", "relay", "herald:purpose", "job-account");

    @TempDir
    Path dir;

    @Test
    void roundTrip_withTheSameContext_andAcrossReopening() {
        Path keyring = dir.resolve("keyring");
        byte[] sealed = KeyringFile.openOrCreate(keyring).encrypt("s3cret".getBytes(StandardCharsets.UTF_8), CONTEXT);

        byte[] opened = KeyringFile.openOrCreate(keyring).decrypt(sealed, Map.of("herald:purpose", "job-account",
                "herald:messageSystem", "relay"));

        assertThat(new String(opened, StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    }

    @Test
    void keyFile_isCreatedOwnerOnly() throws Exception {
        Path keyring = dir.resolve("keyring");
        KeyringFile.openOrCreate(keyring);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring))).isEqualTo("rw-------");
    }

    @Test
    void wrongContext_fails() {
        AesGcmKeyring cipher = KeyringFile.openOrCreate(dir.resolve("keyring"));
        byte[] sealed = cipher.encrypt("s3cret".getBytes(StandardCharsets.UTF_8), CONTEXT);

        assertThatThrownBy(() -> cipher.decrypt(sealed, Map.of("herald:messageSystem", "other", "herald:purpose", "job-account")))
                .isInstanceOf(CipherException.class);
    }

    @Test
    void tamperedCiphertext_fails() {
        AesGcmKeyring cipher = KeyringFile.openOrCreate(dir.resolve("keyring"));
        byte[] sealed = cipher.encrypt("s3cret".getBytes(StandardCharsets.UTF_8), CONTEXT);
        sealed[sealed.length - 5] ^= 1;

        assertThatThrownBy(() -> cipher.decrypt(sealed, CONTEXT)).isInstanceOf(CipherException.class);
    }

    @Test
    void anotherKeyring_cannotDecrypt_butARotatedOneStill_can() throws Exception {
        Path keyring = dir.resolve("keyring");
        byte[] sealed = KeyringFile.openOrCreate(keyring).encrypt(new byte[]{42}, CONTEXT);
        assertThatThrownBy(() -> KeyringFile.openOrCreate(dir.resolve("other")).decrypt(sealed, CONTEXT))
                .isInstanceOf(CipherException.class);

        Files.writeString(keyring, "k2 " + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n",
                StandardOpenOption.APPEND);
        AesGcmKeyring rotated = KeyringFile.openOrCreate(keyring);

        assertThat(rotated.decrypt(sealed, CONTEXT)).containsExactly(42);
        assertThat(new String(rotated.encrypt(new byte[]{1}, CONTEXT), 1, 2, StandardCharsets.US_ASCII)).isEqualTo("k2");
    }

    @Test
    void aMalformedKeyringLine_isAClearErrorNamingTheLine_neverQuotingIt() throws Exception {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        Map<String, String> broken = Map.of(
                "k1", "expected two words",
                "k1 " + key + " extra", "expected two words",
                "k1 not-base64!", "32 bytes in base64",
                "k1 " + java.util.Base64.getEncoder().encodeToString(new byte[16]), "32 bytes in base64",
                "bad/id " + key, "key id must be",
                "k1 " + key + "\nk1 " + key, "there twice");
        for (Map.Entry<String, String> content : broken.entrySet()) {
            Path keyring = dir.resolve("keyring-" + Math.abs(content.getKey().hashCode()));
            Files.writeString(keyring, "# comment\n\n" + content.getKey() + "\n");

            assertThatThrownBy(() -> KeyringFile.openOrCreate(keyring)).as(content.getKey())
                    .isInstanceOf(CipherException.class)
                    .hasMessageContaining(keyring + ", line ")
                    .hasMessageContaining(content.getValue())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(key, "not-base64"));
        }
    }
}
