package dev.herald.testkit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.net.URI;

/** SDK clients pointed at a WireMock server, with fixed test credentials. */
public final class AwsClients {

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test"));

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(String endpoint) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static SchedulerClient scheduler(String endpoint) {
        return SchedulerClient.builder().endpointOverride(URI.create(endpoint)).region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static LambdaClient lambda(String endpoint) {
        return LambdaClient.builder().endpointOverride(URI.create(endpoint)).region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static KmsClient kms(String endpoint) {
        return KmsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static SecretsManagerClient secretsManager(String endpoint) {
        return SecretsManagerClient.builder().endpointOverride(URI.create(endpoint)).region(Region.EU_WEST_1)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A secret like the stack's unsubscribe-link key (64 random letters and digits); its ARN. */
    public static String createUnsubscribeSecret(String endpoint, String name) {
        try (SecretsManagerClient secrets = secretsManager(endpoint)) {
            String value = secrets.getRandomPassword(r -> r.passwordLength(64L).excludePunctuation(true)).randomPassword();
            return secrets.createSecret(r -> r.name(name).secretString(value)).arn();
        }
    }
}
