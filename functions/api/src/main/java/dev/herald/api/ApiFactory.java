package dev.herald.api;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.EventBridgeRecurringTriggers;
import dev.herald.aws.EventBridgeTaskScheduler;
import dev.herald.aws.KmsCipher;
import dev.herald.aws.SchedulerSettings;
import dev.herald.aws.SecretKeyCipher;
import dev.herald.aws.SesTransports;
import dev.herald.core.audience.ListService;
import dev.herald.core.feedback.FeedbackService;
import dev.herald.core.feedback.SesEvents;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.MessageLifecycle;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.Recurrence;
import dev.herald.core.schedule.RecurringScheduleService;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.suppression.SuppressionService;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.unsubscribe.UnsubscribeService;
import dev.herald.core.unsubscribe.UnsubscribeTokens;
import dev.herald.web.JwtClaimsCallers;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.time.Duration;

/** The API function's services over the AWS adapters (clients: {@link dev.herald.aws.AwsClientsFactory}). */
@Factory
class ApiFactory {

    private final ApiConfiguration configuration;
    private final Clock clock = Clock.systemUTC();

    ApiFactory(ApiConfiguration configuration) {
        this.configuration = configuration;
    }

    @Singleton
    DynamoDbStore store(DynamoDbClient dynamoDb) {
        return new DynamoDbStore(dynamoDb, configuration.getTable(), clock);
    }

    @Singleton
    SchedulerSettings schedulerSettings() {
        return new SchedulerSettings(configuration.getSendFunctionArn(),
                configuration.getSchedulerRoleArn(), blankAsAbsent(configuration.getDeadLetterQueueArn()),
                configuration.getMaximumEventAge(), blankAsAbsent(configuration.getScheduleKmsKeyArn()),
                configuration.getScheduleGroupPrefix(), configuration.getArmingLead());
    }

    @Singleton
    EventBridgeTaskScheduler scheduler(SchedulerClient scheduler, LambdaClient lambda, SchedulerSettings settings) {
        return new EventBridgeTaskScheduler(scheduler, lambda, settings, clock);
    }

    @Singleton
    RecurringScheduleService recurringSchedules(DynamoDbStore store, SchedulerClient scheduler, SchedulerSettings settings,
                                                ScheduleService messages, MessageViews views) {
        return new RecurringScheduleService(store, new EventBridgeRecurringTriggers(scheduler, settings, clock), messages, views,
                new Recurrence.Limits(configuration.getRecurringMinimumInterval(), configuration.getSchedulingHorizon()),
                clock, Ids.random());
    }

    /** A deployment leaves an optional ARN empty rather than unset (CloudFormation has no "absent" value). */
    private static String blankAsAbsent(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Singleton
    MessageViews messageViews(DynamoDbStore store) {
        return new MessageViews(store);
    }

    @Singleton
    ScheduleService schedule(DynamoDbStore store, EventBridgeTaskScheduler scheduler, MessageViews views, SesTransports ses) {
        return new ScheduleService(store, scheduler, views, ses, new TemplateRenderer(), limits(), clock, Ids.random());
    }

    @Singleton
    MessageLifecycle messageLifecycle(DynamoDbStore store, EventBridgeTaskScheduler scheduler, MessageViews views) {
        return new MessageLifecycle(store, scheduler, views, limits(), clock);
    }

    private SchedulingLimits limits() {
        return SchedulingLimits.defaults().withHorizon(configuration.getSchedulingHorizon());
    }

    @Singleton
    MessageSystemService messageSystems(DynamoDbStore store, KmsClient kms, SesTransports ses) {
        return new MessageSystemService(store, new KmsCipher(kms, configuration.getKmsKeyId()), ses, clock);
    }

    /** A delete removes members for at most this long, well within the API's 30 s, then answers 202. */
    @Singleton
    ListService lists(DynamoDbStore store) {
        return new ListService(store, clock, Ids.random(), Duration.ofSeconds(10));
    }

    @Singleton
    SuppressionService suppressions(DynamoDbStore store) {
        return new SuppressionService(store, clock);
    }

    @Singleton
    UnsubscribeService unsubscribe(DynamoDbStore store, SecretsManagerClient secrets) {
        return new UnsubscribeService(store, new UnsubscribeTokens(
                new SecretKeyCipher(secrets, configuration.getUnsubscribeSecretArn())), clock);
    }

    @Singleton
    SesEvents sesEvents() {
        return new SesEvents();
    }

    @Singleton
    FeedbackService feedback(DynamoDbStore store) {
        return new FeedbackService(store, clock);
    }

    @Singleton
    JwtClaimsCallers claims() {
        return new JwtClaimsCallers(configuration.getGroupsClaim());
    }
}
