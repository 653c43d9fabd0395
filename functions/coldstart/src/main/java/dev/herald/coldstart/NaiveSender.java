package dev.herald.coldstart;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;

/**
 * The pattern of AWS's own SES sample, as the baseline: one {@code SendEmail} per recipient, one
 * after the other, with the same SDK and HTTP client as Herald's functions.
 */
final class NaiveSender implements AutoCloseable {

    private final SesV2Client ses;

    NaiveSender(String endpoint) {
        ses = SesV2Client.builder().region(Region.EU_WEST_1).endpointOverride(URI.create(endpoint))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** Sends to {@code recipients} readers; answers how many nanoseconds it took. */
    long send(int recipients) {
        long start = System.nanoTime();
        for (int i = 0; i < recipients; i++) {
            String name = "Reader " + i;
            String address = "reader" + i + "@example.com";
            ses.sendEmail(r -> r.fromEmailAddress("bench@example.com")
                    .destination(d -> d.toAddresses(address))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Issue for " + name))
                            .body(b -> b.text(t -> t.data("Hello " + name))))));
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        ses.close();
    }
}
