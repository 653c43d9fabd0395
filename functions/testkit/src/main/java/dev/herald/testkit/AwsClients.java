package dev.herald.testkit;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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

    /**
     * A send function with a {@code live} alias at moto, so that an asynchronous invocation of it is accepted (moto
     * runs none: the test hands the invocation's input to the handler itself); the alias's ARN.
     */
    public static String createSendFunction(String endpoint, String name) {
        String role;
        try (IamClient iam = IamClient.builder().endpointOverride(URI.create(endpoint)).region(Region.AWS_GLOBAL)
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build()) {
            role = iam.createRole(r -> r.roleName(name + "-role").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                    + "\"Action\":\"sts:AssumeRole\"}]}")).role().arn();
        }
        try (LambdaClient lambda = lambda(endpoint)) {
            lambda.createFunction(r -> r.functionName(name).runtime("java21").role(role).handler("dev.herald.send.SendHandler")
                    .code(c -> c.zipFile(SdkBytes.fromByteArray(emptyZip()))));
            return lambda.createAlias(r -> r.functionName(name).name("live").functionVersion("$LATEST")).aliasArn();
        }
    }

    private static byte[] emptyZip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("placeholder.txt"));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
