package dev.herald.send;

import dev.herald.aws.DynamoDbStore;
import dev.herald.core.feedback.FeedbackService;
import dev.herald.core.feedback.SesEvents;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;

/** The feedback function's recorder over the DynamoDB store (clients: {@link dev.herald.aws.AwsClientsFactory}). */
@Factory
class FeedbackFactory {

    @Singleton
    FeedbackRecorder recorder(DynamoDbClient dynamoDb, FeedbackConfiguration configuration) {
        Clock clock = Clock.systemUTC();
        return new FeedbackRecorder(new SesEvents(), new FeedbackService(new DynamoDbStore(dynamoDb, configuration.getTable(), clock), clock));
    }
}
