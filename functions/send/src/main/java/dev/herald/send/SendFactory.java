package dev.herald.send;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.EmfRunMetrics;
import dev.herald.aws.EventBridgeTaskScheduler;
import dev.herald.aws.KmsCipher;
import dev.herald.aws.SchedulerSettings;
import dev.herald.aws.SesTransports;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.dispatch.Sleeper;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;

import java.time.Clock;
import java.time.Duration;

/** The send function's services over the AWS adapters (clients: {@link dev.herald.aws.AwsClientsFactory}). */
@Factory
class SendFactory {

    /** Clock skew between EventBridge and this function, on top of the arming lead. */
    private static final Duration EVENTBRIDGE_SLACK = Duration.ofSeconds(5);
    private final SendConfiguration configuration;

    SendFactory(SendConfiguration configuration) {
        this.configuration = configuration;
    }

    @Singleton
    DispatchService dispatch(DynamoDbClient dynamoDb, SesTransports ses, KmsClient kms, LambdaClient lambda,
                             SchedulerClient scheduler) {
        Clock clock = Clock.systemUTC();
        // The send function only ever fires its own continuations; it never creates schedules.
        EventBridgeTaskScheduler continuations = new EventBridgeTaskScheduler(scheduler, lambda,
                new SchedulerSettings(configuration.getSendFunctionArn(), null, null,
                        SchedulerSettings.DEFAULT_MAXIMUM_EVENT_AGE, null, SchedulerSettings.DEFAULT_GROUP_PREFIX,
                        configuration.getArmingLead()), clock);
        return new DispatchService(new DynamoDbStore(dynamoDb, configuration.getTable(), clock),
                new KmsCipher(kms, configuration.getKmsKeyId()),
                ses, continuations, new TemplateRenderer(),
                DispatchSettings.defaults().withCheckpointMargin(configuration.getCheckpointMargin())
                        // Schedules are set the arming lead early; a firing within it waits for the instant.
                        .withEarlyWait(configuration.getArmingLead().plus(EVENTBRIDGE_SLACK)),
                clock, Ids.random(), new EmfRunMetrics(configuration.getMetricsNamespace()), Sleeper.system());
    }
}
