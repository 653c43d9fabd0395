package dev.herald.core.dispatch;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.port.Transport;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each message system's rate limiter, kept across runs so that a throttled rate stays lowered while
 * it recovers. The provider is asked for its quota until it tells one, not on every run (a burst of
 * runs would otherwise ask once each).
 */
final class RateLimiters {

    /**
     * A system's limiter, the rate setting it was made for (null: the provider's quota), and whether
     * its rate is settled: set, or told by the provider (otherwise the provider is asked again).
     */
    private record Limiter(Double configuredRate, boolean settled, AdaptiveRateLimiter limiter) {
    }

    private final DispatchSettings settings;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();

    /** Limiters that tell time by {@code clock} and wait with {@code sleeper}: the dispatch's own, so that tests control both. */
    RateLimiters(DispatchSettings settings, Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.nanoTime = () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
        this.sleeper = sleeper;
    }

    AdaptiveRateLimiter forSystem(MessageSystem system, Transport transport) {
        return forShare(system, transport, 1);
    }

    /**
     * The limiter of one of {@code workers} processes that send for the system at once: a {@code 1/workers}
     * share of its rate, so that together they keep to it.
     */
    AdaptiveRateLimiter forShare(MessageSystem system, Transport transport, int workers) {
        String key = system.id() + "/" + workers;
        Limiter current = limiters.get(key);
        if (current != null && current.settled() && Objects.equals(current.configuredRate(), system.maxSendRate())) {
            return current.limiter();
        }
        OptionalDouble quota = system.maxSendRate() != null ? OptionalDouble.empty() : transport.providerSendRate();
        double rate = (system.maxSendRate() != null ? system.maxSendRate() : quota.orElse(settings.defaultSendRate())) / workers;
        boolean settled = system.maxSendRate() != null || quota.isPresent();
        return limiters.compute(key, (id, existing) ->
                existing != null && existing.limiter().maxRate() == rate
                        ? new Limiter(system.maxSendRate(), settled, existing.limiter())
                        : new Limiter(system.maxSendRate(), settled, new AdaptiveRateLimiter(rate, settings.minSendRate(),
                                nanoTime, sleeper)))
                .limiter();
    }
}
