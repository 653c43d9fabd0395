package dev.herald.send;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.EmfRunMetrics;
import dev.herald.aws.EventBridgeRecurringTriggers;
import dev.herald.aws.EventBridgeTaskScheduler;
import dev.herald.aws.KmsCipher;
import dev.herald.aws.SchedulerSettings;
import dev.herald.aws.SecretKeyCipher;
import dev.herald.aws.SesTransports;
import dev.herald.core.audience.ListService;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.dispatch.Reconciler;
import dev.herald.core.dispatch.Sleeper;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.Recurrence;
import dev.herald.core.schedule.RecurringScheduleService;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import dev.herald.core.unsubscribe.UnsubscribeTokens;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.time.Duration;

/**
 * The send function's services over the AWS adapters (clients: {@link dev.herald.aws.AwsClientsFactory}).
 * Only where the send function's settings are: the feedback function shares the jar, not them, and
 * Lambda's context makes every singleton at start.
 */
@Factory
@Requires(property = "herald.send-function-arn")
class SendFactory {

    /** Clock skew between EventBridge and this function, on top of the arming lead. */
    private static final Duration EVENTBRIDGE_SLACK = Duration.ofSeconds(5);
    /** How long past its instant an armed task is left to EventBridge, which retries throttled firings. */
    private static final Duration RECONCILE_GRACE = Duration.ofMinutes(5);
    /** Chunks in a slice of a fanned-out message: 10,000 recipients, some twenty seconds of a worker's sending. */
    private static final int SLICE_CHUNKS = 100;
    private final SendConfiguration configuration;
    private final Clock clock = Clock.systemUTC();

    SendFactory(SendConfiguration configuration) {
        this.configuration = configuration;
    }

    // Not beans: where both functions share a class path (the API tests), the API function provides these types.
    private DynamoDbStore store(DynamoDbClient dynamoDb) {
        return new DynamoDbStore(dynamoDb, configuration.getTable(), clock);
    }

    /** The send function never creates schedules: it only fires itself, for continuations and reconciling. */
    private EventBridgeTaskScheduler selfInvocations(SchedulerClient scheduler, LambdaClient lambda) {
        return new EventBridgeTaskScheduler(scheduler, lambda,
                new SchedulerSettings(configuration.getSendFunctionArn(), null, null,
                        configuration.getMaximumEventAge(), null, SchedulerSettings.DEFAULT_GROUP_PREFIX,
                        configuration.getArmingLead()), clock);
    }

    @Singleton
    DispatchService dispatch(DynamoDbClient dynamoDb, SchedulerClient scheduler, LambdaClient lambda, SesTransports ses,
                             KmsClient kms, SecretsManagerClient secrets) {
        return new DispatchService(store(dynamoDb), new KmsCipher(kms, configuration.getKmsKeyId()),
                ses.throughConfigurationSet(configuration.getSesConfigurationSet()),
                selfInvocations(scheduler, lambda),
                new TemplateRenderer(),
                new UnsubscribeLinks(new UnsubscribeTokens(new SecretKeyCipher(secrets,
                        configuration.getUnsubscribeSecretArn())), configuration.getPublicUrl()),
                DispatchSettings.defaults().withCheckpointMargin(configuration.getCheckpointMargin())
                        // Schedules are set the arming lead early; a firing within it waits for the instant.
                        .withEarlyWait(configuration.getArmingLead().plus(EVENTBRIDGE_SLACK))
                        .withFanOut(new DispatchSettings.FanOutSettings(configuration.getWorkerRate(),
                                configuration.getMaxWorkers(), SLICE_CHUNKS)),
                clock, Ids.random(), new EmfRunMetrics(configuration.getMetricsNamespace()), Sleeper.system());
    }

    /** The reconciler, and the lists' deletions a minute at most a list a sweep. */
    @Singleton
    ReconcilingSweep reconcilingSweep(DynamoDbClient dynamoDb, SchedulerClient scheduler, LambdaClient lambda) {
        return new ReconcilingSweep(new Reconciler(store(dynamoDb), selfInvocations(scheduler, lambda), clock,
                configuration.getArmingLead(), RECONCILE_GRACE, configuration.getMaximumEventAge()),
                new ListService(store(dynamoDb), clock, Ids.random(), Duration.ofMinutes(1)));
    }

    /**
     * The occurrences of recurring schedules: each becomes a message, sent at once by a fresh invocation like any
     * immediate message. (The rule is checked where schedules are made, by the API function; here it is only read.)
     */
    @Singleton
    Occurrences occurrences(DynamoDbClient dynamoDb, SchedulerClient scheduler, LambdaClient lambda, SesTransports ses) {
        DynamoDbStore store = store(dynamoDb);
        MessageViews views = new MessageViews(store);
        ScheduleService messages = new ScheduleService(store, selfInvocations(scheduler, lambda), views, ses,
                new TemplateRenderer(), SchedulingLimits.defaults(), clock, Ids.random());
        EventBridgeRecurringTriggers triggers = new EventBridgeRecurringTriggers(scheduler,
                new SchedulerSettings(configuration.getSendFunctionArn(), null, null, configuration.getMaximumEventAge(),
                        null, configuration.getScheduleGroupPrefix(), configuration.getArmingLead()), clock);
        return new Occurrences(new RecurringScheduleService(store, triggers, messages, views, Recurrence.Limits.defaults(), clock,
                Ids.random()));
    }
}
