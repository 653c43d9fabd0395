package dev.herald.local;

import dev.herald.core.access.TokenService;
import dev.herald.core.audience.ListService;
import dev.herald.core.crypto.AesGcmKeyring;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.dispatch.Sleeper;
import dev.herald.core.feedback.FeedbackService;
import dev.herald.core.feedback.SesEvents;
import dev.herald.core.port.Ids;
import dev.herald.core.port.RunMetrics;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.MessageLifecycle;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.Recurrence;
import dev.herald.core.schedule.RecurringScheduleService;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.suppression.SuppressionService;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import dev.herald.core.unsubscribe.UnsubscribeService;
import dev.herald.core.unsubscribe.UnsubscribeTokens;
import dev.herald.embedded.EmbeddedRecurringTriggers;
import dev.herald.embedded.EmbeddedScheduler;
import dev.herald.embedded.KeyringFile;
import dev.herald.embedded.SqliteStore;
import dev.herald.mail.MailTransports;
import dev.herald.web.ComponentHealth;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;

/** Wires the core to the embedded adapters. */
@Factory
class LocalFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    Ids ids() {
        return Ids.random();
    }

    @Singleton
    SqliteStore store(LocalConfiguration configuration, Clock clock) {
        try {
            Files.createDirectories(configuration.getDataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + configuration.getDataDir(), e);
        }
        return SqliteStore.open(configuration.getDataDir(), clock);
    }

    @Singleton
    AesGcmKeyring cipher(LocalConfiguration configuration) {
        return KeyringFile.openOrCreate(configuration.getDataDir().resolve("keyring"));
    }

    @Singleton
    MailTransports transports(LocalConfiguration configuration) {
        return new MailTransports(configuration.getDataDir().resolve("outbox"), Duration.ofSeconds(30),
                configuration.getSmtpTrustedHosts());
    }

    @Singleton
    EmbeddedScheduler scheduler(SqliteStore store, Clock clock, LocalConfiguration configuration) {
        return new EmbeddedScheduler(store, clock, configuration.getDispatchWorkers());
    }

    @Singleton
    TemplateRenderer renderer() {
        return new TemplateRenderer();
    }

    /** Sealed under the keyring, which job-account passwords are encrypted under too (in another context). */
    @Singleton
    UnsubscribeTokens unsubscribeTokens(AesGcmKeyring cipher) {
        return new UnsubscribeTokens(cipher);
    }

    @Singleton
    UnsubscribeLinks unsubscribeLinks(UnsubscribeTokens tokens, LocalConfiguration configuration) {
        return new UnsubscribeLinks(tokens, configuration.getPublicUrl());
    }

    @Singleton
    UnsubscribeService unsubscribe(SqliteStore store, UnsubscribeTokens tokens, Clock clock) {
        return new UnsubscribeService(store, tokens, clock);
    }

    @Singleton
    DispatchService dispatch(SqliteStore store, AesGcmKeyring cipher, MailTransports transports, EmbeddedScheduler scheduler,
                             TemplateRenderer renderer, UnsubscribeLinks links, LocalConfiguration configuration,
                             Clock clock, Ids ids) {
        return new DispatchService(store, cipher, transports, scheduler, renderer, links,
                DispatchSettings.defaults().withTaskLease(configuration.getTaskLease()), clock, ids,
                // The local runtime's figures are in its run records and logs; it has no metrics backend.
                RunMetrics.none(), Sleeper.system());
    }

    @Singleton
    MessageViews messageViews(SqliteStore store) {
        return new MessageViews(store);
    }

    @Singleton
    ScheduleService schedule(SqliteStore store, EmbeddedScheduler scheduler, MessageViews views, MailTransports transports,
                             TemplateRenderer renderer, LocalConfiguration configuration, Clock clock, Ids ids) {
        return new ScheduleService(store, scheduler, views, transports, renderer, limits(configuration), clock, ids);
    }

    @Singleton
    MessageLifecycle messageLifecycle(SqliteStore store, EmbeddedScheduler scheduler, MessageViews views,
                                      LocalConfiguration configuration, Clock clock) {
        return new MessageLifecycle(store, scheduler, views, limits(configuration), clock);
    }

    private static SchedulingLimits limits(LocalConfiguration configuration) {
        return SchedulingLimits.defaults().withHorizon(configuration.getSchedulingHorizon());
    }

    @Singleton
    EmbeddedRecurringTriggers recurringTriggers(SqliteStore store, Clock clock) {
        return new EmbeddedRecurringTriggers(store, clock);
    }

    @Singleton
    RecurringScheduleService recurringSchedules(SqliteStore store, EmbeddedRecurringTriggers triggers,
                                                ScheduleService messages, MessageViews views,
                                                LocalConfiguration configuration, Clock clock, Ids ids) {
        return new RecurringScheduleService(store, triggers, messages, views, new Recurrence.Limits(
                configuration.getRecurringMinimumInterval(), configuration.getSchedulingHorizon()), clock, ids);
    }

    @Singleton
    MessageSystemService messageSystems(SqliteStore store, AesGcmKeyring cipher, MailTransports transports, Clock clock) {
        return new MessageSystemService(store, cipher, transports, clock);
    }

    @Singleton
    ListService lists(SqliteStore store, Clock clock, Ids ids) {
        return new ListService(store, clock, ids, Duration.ofSeconds(10));
    }

    @Singleton
    SuppressionService suppressions(SqliteStore store, Clock clock) {
        return new SuppressionService(store, clock);
    }

    @Singleton
    SesEvents sesEvents() {
        return new SesEvents();
    }

    @Singleton
    FeedbackService feedback(SqliteStore store, Clock clock) {
        return new FeedbackService(store, clock);
    }

    @Singleton
    TokenService tokens(SqliteStore store, Clock clock, Ids ids) {
        return new TokenService(store, clock, ids);
    }

    /** The health check's database: it answers a trivial query within a second. */
    @Singleton
    @Named("database")
    ComponentHealth database(SqliteStore store) {
        return new ComponentHealth("database", () -> store.answersWithin(Duration.ofSeconds(1)));
    }

    /** The health check's scheduler: its timer thread checks the wall clock as it should. */
    @Singleton
    @Named("scheduler")
    ComponentHealth scheduler(EmbeddedScheduler scheduler) {
        return new ComponentHealth("scheduler", scheduler::isResponsive);
    }
}
