package dev.herald.aws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;

/**
 * Where the AWS clients go. Absent values leave it to the SDK: the region from AWS_REGION, the
 * endpoints from AWS or the SDK's AWS_ENDPOINT_URL_* variables.
 */
@ConfigurationProperties("herald.aws")
public interface AwsConfiguration {

    @Nullable
    String getRegion();

    /** One endpoint for every client (LocalStack). */
    @Nullable
    URI getEndpoint();

    /** The DynamoDB endpoint when it differs from {@link #getEndpoint()} (dynalite). */
    @Nullable
    URI getDynamodbEndpoint();

    /** The SES endpoint when it differs from {@link #getEndpoint()} (aws-ses-v2-local). */
    @Nullable
    URI getSesEndpoint();

    /** The Secrets Manager endpoint when it differs from {@link #getEndpoint()}. */
    @Nullable
    URI getSecretsManagerEndpoint();
}
