package dev.herald.local;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;

/** Settings of the local runtime; each can be set by an environment variable (HERALD_DATA_DIR, ...). */
@ConfigurationProperties("herald")
public interface LocalConfiguration {

    /** Database, keyring and outbox live here. */
    @NotNull
    Path getDataDir();

    /** The bootstrap admin token; without it one is generated on first start and printed once. */
    @Nullable
    String getAdminToken();

    /** How far ahead a message may be scheduled. */
    @NotNull
    Period getSchedulingHorizon();

    /** How close two occurrences of a recurring schedule may come at most. */
    @NotNull
    Duration getRecurringMinimumInterval();

    /** Sends that may run at the same time. */
    @Min(1)
    @Max(256)
    int getDispatchWorkers();

    /** How long a run's claim holds without renewal; a crashed run's task is taken over after it. */
    @NotNull
    Duration getTaskLease();

    /** Where people reach this runtime (HERALD_PUBLIC_URL): unsubscribe links in mail point there. */
    @NotNull
    String getPublicUrl();

    /** SMTP hosts whose private TLS certificates are trusted ("*" for all). */
    @Nullable
    String getSmtpTrustedHosts();
}
