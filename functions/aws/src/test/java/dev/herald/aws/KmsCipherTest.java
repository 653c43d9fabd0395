package dev.herald.aws;

import dev.herald.testkit.AwsClients;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.herald.core.error.CipherException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KmsCipherTest {

    @RegisterExtension
    static final WireMockExtension KMS = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "alias/herald";
    private static final Map<String, String> CONTEXT = Map.of("herald:messageSystem", "relay", "herald:purpose", "job-account");
    private static final String CONTEXT_JSON = "{\"herald:messageSystem\":\"relay\",\"herald:purpose\":\"job-account\"}";

    private final KmsCipher cipher = new KmsCipher(AwsClients.kms(KMS.baseUrl()), KEY);

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encrypt_shouldSendTheKeyPlaintextAndEncryptionContext() {
        KMS.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Encrypt"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"CiphertextBlob\":\"" + b64("sealed") + "\",\"KeyId\":\"k\"}")));

        byte[] sealed = cipher.encrypt("s3cret".getBytes(StandardCharsets.UTF_8), CONTEXT);

        assertThat(new String(sealed, StandardCharsets.UTF_8)).isEqualTo("sealed");
        KMS.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Encrypt"))
                .withRequestBody(equalToJson("{\"KeyId\":\"alias/herald\",\"Plaintext\":\"" + b64("s3cret")
                        + "\",\"EncryptionContext\":" + CONTEXT_JSON + "}")));
    }

    @Test
    void decrypt_shouldSendTheCiphertextKeyAndEncryptionContext() {
        KMS.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Decrypt"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Plaintext\":\"" + b64("s3cret") + "\",\"KeyId\":\"k\"}")));

        byte[] plaintext = cipher.decrypt("sealed".getBytes(StandardCharsets.UTF_8), CONTEXT);

        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo("s3cret");
        KMS.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(equalToJson("{\"KeyId\":\"alias/herald\","
                + "\"CiphertextBlob\":\"" + b64("sealed") + "\",\"EncryptionContext\":" + CONTEXT_JSON + "}")));
    }

    @Test
    void invalidCiphertext_andAccessDenied_becomeCipherErrors_thatNameTheCodeOnly() {
        KMS.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Decrypt"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"InvalidCiphertextException\",\"message\":\"bad\"}")));
        KMS.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("TrentService.Encrypt"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"AccessDeniedException\",\"message\":\"not allowed\"}")));

        assertThatThrownBy(() -> cipher.decrypt(new byte[]{1}, CONTEXT)).isInstanceOf(CipherException.class)
                .hasMessage("KMS Decrypt failed: InvalidCiphertextException");
        assertThatThrownBy(() -> cipher.encrypt("s3cret".getBytes(StandardCharsets.UTF_8), CONTEXT))
                .isInstanceOf(CipherException.class)
                .hasMessage("KMS Encrypt failed: AccessDeniedException");
    }
}
