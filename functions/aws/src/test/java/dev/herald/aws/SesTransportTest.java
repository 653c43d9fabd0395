package dev.herald.aws;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Scheduling;
import dev.herald.core.model.SesSettings;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.MailHeader;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import dev.herald.core.storage.Documents;
import dev.herald.testkit.Emulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/** The SES v2 transport against aws-ses-v2-local, reading what it rendered from its store. */
class SesTransportTest {

    @RegisterExtension
    static final WireMockExtension THROTTLING_SES = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static Emulator emulator;
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    private static final MessageSystem SYSTEM = new MessageSystem("ses", "SES", true, TransportKind.SES,
            new Mailbox("news@example.com", "Example News"), "replies@example.com", 14.0, null,
            new SesSettings("eu-west-1", null), new Scheduling(true, "default", null), null, null, Instant.EPOCH, Instant.EPOCH, 0);

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = Emulator.sesV2Local();
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        emulator.close();
    }

    @BeforeEach
    void clearEmulator() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/clear-store"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static SesTransports transports(String endpoint) {
        SesV2Client own = SesTransports.forSending(SesV2Client.builder()).endpointOverride(URI.create(endpoint))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOWN", "own")))
                .httpClient(HTTP).build();
        return new SesTransports(own, HTTP, URI.create(endpoint));
    }

    private static OutgoingMail mail(String key, String email, String name, Map<String, Object> data) {
        return new OutgoingMail(key, new Mailbox(email, name), null, null, null,
                Map.of("email", email, "name", name, "order", data.get("order")), List.of(
                new MailHeader("List-Unsubscribe", "<https://herald.example.com/v1/unsubscribe/" + key + ">"),
                new MailHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")));
    }

    private static MailBatch batch(List<OutgoingMail> mails) {
        return new MailBatch("m1", 0, SYSTEM.from(), SYSTEM.replyTo(), "Order {{order}} for {{name}}",
                "Hello {{name}}, order {{order}} ships.", "<p>Hello {{name}}</p>", mails);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> storedEmails() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/store")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (List<Map<String, Object>>) new Documents().read(body, Map.class).get("emails");
    }

    @Test
    void severalRecipients_goInOneSendBulkEmail_andSesRendersEachFromItsData() throws Exception {
        List<Delivery> deliveries;
        try (Transport transport = transports(emulator.endpoint()).open(SYSTEM, Optional.empty())) {
            deliveries = transport.send(batch(List.of(
                    mail("k0", "ann@example.com", "Ann", Map.of("order", "A-1")),
                    mail("k1", "bob@example.com", "Bob", Map.of("order", "B-2")))));
        }

        assertThat(deliveries).extracting(Delivery::kind).containsOnly(Delivery.Kind.DELIVERED);
        assertThat(deliveries).extracting(Delivery::providerMessageId).doesNotContainNull().doesNotHaveDuplicates();
        List<Map<String, Object>> emails = storedEmails();
        assertThat(emails).extracting(e -> e.get("subject")).containsExactly("Order A-1 for Ann", "Order B-2 for Bob");
        assertThat(emails.get(1).get("body")).isEqualTo(Map.of("text", "Hello Bob, order B-2 ships.", "html", "<p>Hello Bob</p>"));
        assertThat(emails.get(0).get("from")).isEqualTo("Example News <news@example.com>");
        assertThat(emails.get(0).get("replyTo")).isEqualTo(List.of("replies@example.com"));
    }

    @Test
    void oneRecipient_goesInSendEmail_withTheTemplatesAndItsData_forSesToRender() throws Exception {
        try (Transport transport = transports(emulator.endpoint()).open(SYSTEM, Optional.empty())) {
            assertThat(transport.rendersTemplates()).isTrue();
            assertThat(transport.send(batch(List.of(mail("k0", "ann@example.com", "Ann", Map.of("order", "A-1"))))))
                    .singleElement().extracting(Delivery::kind).isEqualTo(Delivery.Kind.DELIVERED);
        }

        assertThat(storedEmails()).singleElement().satisfies(e -> {
            assertThat(e.get("subject")).isEqualTo("Order A-1 for Ann");
            assertThat(e.get("body")).isEqualTo(Map.of("text", "Hello Ann, order A-1 ships.", "html", "<p>Hello Ann</p>"));
        });
    }

    @Test
    void aRejectedEntry_isAPermanentFailure_andTheOthersStillGo() throws Exception {
        List<Delivery> deliveries;
        try (Transport transport = transports(emulator.endpoint()).open(SYSTEM, Optional.empty())) {
            deliveries = transport.send(batch(List.of(
                    mail("k0", "ann@example.com", "Ann", Map.of("order", "A-1")),
                    mail("k1", "not an address", "Bob", Map.of("order", "B-2")))));
        }

        assertThat(deliveries.get(0).kind()).isEqualTo(Delivery.Kind.DELIVERED);
        assertThat(deliveries.get(1).kind()).isEqualTo(Delivery.Kind.PERMANENT_FAILURE);
        assertThat(deliveries.get(1).error()).startsWith("FAILED");
        assertThat(storedEmails()).hasSize(1);
    }

    @Test
    void tooManyRequests_throttlesEveryMailOfTheBatch() {
        THROTTLING_SES.stubFor(post(urlPathEqualTo("/v2/email/outbound-bulk-emails")).willReturn(aResponse().withStatus(429)
                .withHeader("x-amzn-ErrorType", "TooManyRequestsException").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Too many requests\"}")));
        List<Delivery> deliveries;
        try (Transport transport = transports(THROTTLING_SES.baseUrl()).open(SYSTEM, Optional.empty())) {
            deliveries = transport.send(batch(List.of(
                    mail("k0", "ann@example.com", "Ann", Map.of("order", "A-1")),
                    mail("k1", "bob@example.com", "Bob", Map.of("order", "B-2")))));
        }

        assertThat(deliveries).extracting(Delivery::kind).containsOnly(Delivery.Kind.THROTTLED);
        // One call, not the SDK's four: the dispatch's rate limiter sees every throttle.
        assertThat(THROTTLING_SES.findAll(postRequestedFor(urlPathEqualTo("/v2/email/outbound-bulk-emails")))).hasSize(1);
    }

    @Test
    void eachRecipientsListHeaders_goAsItsReplacementHeaders_inBulk_andAsTheMessagesHeaders_alone() throws Exception {
        try (Transport transport = transports(emulator.endpoint()).open(SYSTEM, Optional.empty())) {
            transport.send(batch(List.of(mail("k0", "ann@example.com", "Ann", Map.of("order", "A-1")),
                    mail("k1", "bob@example.com", "Bob", Map.of("order", "B-2")))));
            transport.send(batch(List.of(mail("k2", "cy@example.com", "Cy", Map.of("order", "C-3")))));
        }

        List<Map<String, Object>> emails = storedEmails();
        assertThat(emails).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(emails.get(i).get("headers")).as("mail %d", i).isEqualTo(List.of(
                    Map.of("name", "List-Unsubscribe", "value", "<https://herald.example.com/v1/unsubscribe/k" + i + ">"),
                    Map.of("name", "List-Unsubscribe-Post", "value", "List-Unsubscribe=One-Click")));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void mailGoesThroughTheStacksConfigurationSet_unlessTheSystemNamesItsOwn_taggedWithItsMessageAndChunk() {
        THROTTLING_SES.stubFor(post(urlPathEqualTo("/v2/email/outbound-bulk-emails")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"BulkEmailEntryResults\":["
                        + "{\"Status\":\"SUCCESS\",\"MessageId\":\"m-0\"},{\"Status\":\"SUCCESS\",\"MessageId\":\"m-1\"}]}")));
        SesTransports stacks = new SesTransports(SesV2Client.builder().endpointOverride(URI.create(THROTTLING_SES.baseUrl()))
                .region(Region.EU_WEST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOWN", "own")))
                .httpClient(HTTP).build(), HTTP, URI.create(THROTTLING_SES.baseUrl())).throughConfigurationSet("herald-test");
        MessageSystem ownSet = new MessageSystem("own-set", "Own", true, TransportKind.SES, SYSTEM.from(), null, 14.0, null,
                new SesSettings(null, "marketing"), SYSTEM.scheduling(), null, null, Instant.EPOCH, Instant.EPOCH, 0);
        List<OutgoingMail> two = List.of(mail("k0", "ann@example.com", "Ann", Map.of("order", "A-1")),
                mail("k1", "bob@example.com", "Bob", Map.of("order", "B-2")));

        try (Transport transport = stacks.open(SYSTEM, Optional.empty())) {
            transport.send(new MailBatch("m-7", 3, SYSTEM.from(), null, "s", "t", null, two));
        }
        try (Transport transport = stacks.open(ownSet, Optional.empty())) {
            transport.send(new MailBatch("m-8", 0, SYSTEM.from(), null, "s", "t", null, two));
        }

        List<Map<String, Object>> requests = THROTTLING_SES.findAll(postRequestedFor(urlPathEqualTo("/v2/email/outbound-bulk-emails")))
                .stream().map(r -> (Map<String, Object>) new Documents().read(r.getBodyAsString(), Map.class)).toList();
        assertThat(requests.get(0)).containsEntry("ConfigurationSetName", "herald-test")
                .containsEntry("DefaultEmailTags", List.of(Map.of("Name", "herald-system", "Value", "ses"),
                        Map.of("Name", "herald-message", "Value", "m-7"), Map.of("Name", "herald-chunk", "Value", "3")));
        assertThat(requests.get(1)).containsEntry("ConfigurationSetName", "marketing");
    }

    @Test
    void theProviderRate_isTheAccountsSendQuota() {
        THROTTLING_SES.stubFor(get(urlPathEqualTo("/v2/email/account")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"SendQuota\":{\"Max24HourSend\":200000,\"MaxSendRate\":120,\"SentLast24Hours\":12},"
                        + "\"SendingEnabled\":true,\"ProductionAccessEnabled\":true}")));

        try (Transport transport = transports(THROTTLING_SES.baseUrl()).open(SYSTEM, Optional.empty())) {
            assertThat(transport.providerSendRate()).hasValue(120.0);
        }
    }

    @Test
    void whenSesWillNotTellItsQuota_thereIsNoProviderRate() {
        THROTTLING_SES.stubFor(get(urlPathEqualTo("/v2/email/account")).willReturn(aResponse().withStatus(403)
                .withHeader("x-amzn-ErrorType", "AccessDeniedException").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"not authorized to perform ses:GetAccount\"}")));

        try (Transport transport = transports(THROTTLING_SES.baseUrl()).open(SYSTEM, Optional.empty())) {
            assertThat(transport.providerSendRate()).isEmpty();
        }
    }
}
