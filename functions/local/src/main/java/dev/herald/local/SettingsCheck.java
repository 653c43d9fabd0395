package dev.herald.local;

import dev.herald.core.access.TokenService;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * The settings, checked as the application starts, before the port is bound and before anything
 * is written: a bad one stops the start with one line naming it ({@link StartupFailure}).
 */
@Singleton
class SettingsCheck {

    private static final Duration MIN_TASK_LEASE = Duration.ofSeconds(5);
    private final LocalConfiguration configuration;

    SettingsCheck(LocalConfiguration configuration) {
        this.configuration = configuration;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (configuration.getTaskLease().compareTo(MIN_TASK_LEASE) < 0) {
            throw new BadSettingException("HERALD_TASK_LEASE must be at least " + MIN_TASK_LEASE.toSeconds() + " s (PT5S)");
        }
        if (configuration.getSchedulingHorizon().isNegative() || configuration.getSchedulingHorizon().isZero()) {
            throw new BadSettingException("HERALD_SCHEDULING_HORIZON must be a positive period such as P5Y");
        }
        if (configuration.getRecurringMinimumInterval().compareTo(Duration.ofMinutes(1)) < 0) {
            throw new BadSettingException("HERALD_RECURRING_MINIMUM_INTERVAL must be a minute at least (PT1M):"
                    + " a recurring schedule fires each minute at most");
        }
        UnsubscribeLinks.problemWithBaseUrl(configuration.getPublicUrl()).ifPresent(problem -> {
            throw new BadSettingException("HERALD_PUBLIC_URL " + problem);
        });
        String adminToken = configuration.getAdminToken();
        if (adminToken != null && !adminToken.isEmpty()) {
            try {
                TokenService.requireStrong(adminToken);
            } catch (TokenService.WeakTokenException weak) {
                throw new BadSettingException("HERALD_ADMIN_TOKEN is too weak: use " + TokenService.BOOTSTRAP_RULE);
            }
        }
    }

    /** A setting the runtime cannot start with; its message names the variable. */
    static final class BadSettingException extends RuntimeException {
        BadSettingException(String message) {
            super(message);
        }
    }
}
