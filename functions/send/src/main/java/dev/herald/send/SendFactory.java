package dev.herald.send;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.EventBridgeTaskScheduler;
import dev.herald.aws.KmsCipher;
import dev.herald.aws.SchedulerSettings;
import dev.herald.aws.SesTransports;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.error.CipherException;
import dev.herald.core.port.Cipher;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.time.Clock;

/**
 * The send function's clients and services: one SDK client per service over one
 * url-connection HTTP client, region and endpoints from configuration or the SDK's own
 * environment (AWS_REGION, AWS_ENDPOINT_URL_*), so the function runs unchanged against emulators.
 */
@Factory
class SendFactory {

    private final SendConfiguration configuration;

    SendFactory(SendConfiguration configuration) {
        this.configuration = configuration;
    }

    @Singleton
    SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.create();
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI specificEndpoint) {
        if (configuration.getRegion() != null) {
            builder.region(Region.of(configuration.getRegion()));
        }
        URI endpoint = specificEndpoint != null ? specificEndpoint : configuration.getEndpoint();
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    @Singleton
    DynamoDbClient dynamoDb(SdkHttpClient http) {
        return configure(DynamoDbClient.builder().httpClient(http), configuration.getDynamodbEndpoint()).build();
    }

    @Singleton
    SesV2Client ses(SdkHttpClient http) {
        return configure(SesV2Client.builder().httpClient(http), configuration.getSesEndpoint()).build();
    }

    @Singleton
    KmsClient kms(SdkHttpClient http) {
        return configure(KmsClient.builder().httpClient(http), null).build();
    }

    @Singleton
    LambdaClient lambda(SdkHttpClient http) {
        return configure(LambdaClient.builder().httpClient(http), null).build();
    }

    @Singleton
    SchedulerClient scheduler(SdkHttpClient http) {
        return configure(SchedulerClient.builder().httpClient(http), null).build();
    }

    @Singleton
    DispatchService dispatch(DynamoDbClient dynamoDb, SesV2Client ses, KmsClient kms, LambdaClient lambda,
                             SchedulerClient scheduler, SdkHttpClient http) {
        Clock clock = Clock.systemUTC();
        // The send function only ever fires its own continuations; it never creates schedules.
        EventBridgeTaskScheduler continuations = new EventBridgeTaskScheduler(scheduler, lambda,
                new SchedulerSettings(configuration.getSendFunctionArn(), null, null,
                        SchedulerSettings.DEFAULT_MAXIMUM_EVENT_AGE, null));
        URI sesEndpoint = configuration.getSesEndpoint() != null ? configuration.getSesEndpoint() : configuration.getEndpoint();
        return new DispatchService(new DynamoDbStore(dynamoDb, configuration.getTable(), clock), cipher(kms),
                new SesTransports(ses, http, sesEndpoint), continuations, new TemplateRenderer(),
                DispatchSettings.defaults().withCheckpointMargin(configuration.getCheckpointMargin()), clock, Ids.random());
    }

    private Cipher cipher(KmsClient kms) {
        if (configuration.getKmsKeyId() != null) {
            return new KmsCipher(kms, configuration.getKmsKeyId());
        }
        return new Cipher() {
            @Override
            public byte[] encrypt(byte[] plaintext, java.util.Map<String, String> context) {
                throw new CipherException("No KMS key is configured (HERALD_KMS_KEY_ID)", null);
            }

            @Override
            public byte[] decrypt(byte[] ciphertext, java.util.Map<String, String> context) {
                throw new CipherException("No KMS key is configured (HERALD_KMS_KEY_ID)", null);
            }
        };
    }
}
