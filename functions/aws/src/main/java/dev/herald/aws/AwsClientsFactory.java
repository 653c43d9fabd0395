package dev.herald.aws;

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
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;

/** One SDK client per service, over one url-connection HTTP client; no static clients, no regions in code. */
@Factory
public class AwsClientsFactory {

    private final AwsConfiguration configuration;

    public AwsClientsFactory(AwsConfiguration configuration) {
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
        return configure(SesTransports.forSending(SesV2Client.builder()).httpClient(http), configuration.getSesEndpoint())
                .build();
    }

    @Singleton
    KmsClient kms(SdkHttpClient http) {
        return configure(KmsClient.builder().httpClient(http), null).build();
    }

    @Singleton
    SecretsManagerClient secretsManager(SdkHttpClient http) {
        return configure(SecretsManagerClient.builder().httpClient(http), configuration.getSecretsManagerEndpoint()).build();
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
    SesTransports sesTransports(SesV2Client ses, SdkHttpClient http) {
        return new SesTransports(ses, http,
                configuration.getSesEndpoint() != null ? configuration.getSesEndpoint() : configuration.getEndpoint());
    }
}
