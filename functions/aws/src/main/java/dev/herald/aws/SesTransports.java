package dev.herald.aws;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Transport;
import dev.herald.core.port.TransportFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

import java.net.URI;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * SES v2 transports. Without a job account a message system sends with the runtime's own
 * credentials (the function's role), through one shared client; with one, the job account is an
 * access-key pair of another account and gets a client of its own for the run.
 */
public final class SesTransports implements TransportFactory {

    private final SesV2Client ownClient;
    private final SdkHttpClient http;
    private final URI endpoint;
    private final String defaultConfigurationSet;

    /** Transports that send without a configuration set, unless a message system names one. */
    public SesTransports(SesV2Client ownClient, SdkHttpClient http, URI endpoint) {
        this(ownClient, http, endpoint, null);
    }

    /**
     * @param ownClient the client with the runtime's credentials
     * @param http      the HTTP client job-account clients share
     * @param endpoint  an endpoint override (an emulator), or null for the region's SES endpoint
     */
    private SesTransports(SesV2Client ownClient, SdkHttpClient http, URI endpoint, String defaultConfigurationSet) {
        this.ownClient = ownClient;
        this.http = http;
        this.endpoint = endpoint;
        this.defaultConfigurationSet = defaultConfigurationSet;
    }

    /**
     * These transports, sending through {@code configurationSet} (the stack's, which publishes SES's
     * events to Herald) unless a message system names its own.
     */
    public SesTransports throughConfigurationSet(String configurationSet) {
        return new SesTransports(ownClient, http, endpoint, configurationSet);
    }

    /**
     * A client for sending, without the SDK's own retries: every throttle then reaches the dispatch,
     * whose rate limiter slows down and retries the mails itself (with the SDK's three retries it
     * saw about one throttle in sixteen, and kept the rate too high).
     */
    public static SesV2ClientBuilder forSending(SesV2ClientBuilder builder) {
        return builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    }

    @Override
    public Set<TransportKind> supportedKinds() {
        return EnumSet.of(TransportKind.SES);
    }

    @Override
    public Transport open(MessageSystem system, Optional<Credentials> jobAccount) {
        if (jobAccount.isEmpty()) {
            return new SesTransport(ownClient, system, defaultConfigurationSet, false);
        }
        SesV2ClientBuilder builder = forSending(SesV2Client.builder()).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(jobAccount.get().username(), jobAccount.get().password())));
        if (system.ses() != null && system.ses().region() != null) {
            builder.region(Region.of(system.ses().region()));
        } else {
            builder.region(ownClient.serviceClientConfiguration().region());
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return new SesTransport(builder.build(), system, defaultConfigurationSet, true);
    }
}
