package dev.herald.embedded;

import dev.herald.core.model.Page;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.port.RecurringTriggers;
import dev.herald.core.port.Store;
import dev.herald.core.schedule.Recurrence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * In-process recurring triggers: each active schedule waits for its next occurrence on one timer thread, which
 * hands the occurrence on and waits for the one after. The store keeps the schedules, so a start arms every
 * active one again, and makes up the latest occurrence missed while the process was down (within a day, as
 * EventBridge Scheduler retries a firing it could not deliver for up to a day); occurrences before the rule was
 * last set, or while the schedule was paused, are not made up.
 * <p>
 * An occurrence that fails is tried again every {@link #RETRY} while it is less than a day late, as EventBridge
 * retries a firing; it creates its message once however often it is tried.
 * <p>
 * A wait is at most {@link #WALL_CLOCK_CHECK} long on the machine's monotonic clock, then compared with the wall
 * clock, so that a laptop's sleep or a step of its clock delays an occurrence by no more than that.
 */
public final class EmbeddedRecurringTriggers implements RecurringTriggers, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRecurringTriggers.class);
    static final Duration WALL_CLOCK_CHECK = Duration.ofSeconds(15);
    static final Duration CATCH_UP = Duration.ofDays(1);
    /** How long after a failed occurrence (the database busy, say) it is tried again, until it is a day late. */
    static final Duration RETRY = Duration.ofMinutes(1);
    private static final int PAGE = 100;

    /** The occurrence a schedule waits for, and the timer of its current wait. */
    private record Waiting(Instant at, ScheduledFuture<?> timer) {
    }

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-recurring");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Waiting> waiting = new HashMap<>();
    private BiConsumer<String, Instant> occurrences;

    public EmbeddedRecurringTriggers(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Connects what an occurrence does and arms every active schedule the store holds; nothing fires before. */
    public synchronized void start(BiConsumer<String, Instant> onOccurrence) {
        this.occurrences = onOccurrence;
        int armed = 0;
        String cursor = null;
        do {
            Page<RecurringSchedule> page = store.listRecurringSchedules(null, cursor, PAGE);
            for (RecurringSchedule schedule : page.items()) {
                if (schedule.state() == RecurringScheduleState.ACTIVE) {
                    latestMissed(schedule).ifPresent(at -> fire(schedule.id(), at));
                    arm(schedule);
                    armed++;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        LOG.info("Recurring triggers started; {} schedule(s) armed from the store", armed);
    }

    /** The latest occurrence up to now, since the rule was last set and within the catch-up. */
    private Optional<Instant> latestMissed(RecurringSchedule schedule) {
        Instant now = clock.instant();
        Instant from = schedule.updatedAt().isAfter(now.minus(CATCH_UP)) ? schedule.updatedAt() : now.minus(CATCH_UP);
        Recurrence rule = Recurrence.of(schedule);
        Optional<Instant> latest = Optional.empty();
        for (Optional<Instant> next = rule.nextAfter(from); next.isPresent() && !next.get().isAfter(now);
             next = rule.nextAfter(next.get())) {
            latest = next;
        }
        return latest;
    }

    @Override
    public synchronized void arm(RecurringSchedule schedule) {
        disarm(schedule.id());
        if (schedule.state() == RecurringScheduleState.PAUSED || occurrences == null) {
            return; // a paused schedule waits for nothing; before the start, the start arms it
        }
        Recurrence.of(schedule).nextAfter(clock.instant()).ifPresentOrElse(at -> waitFor(schedule.id(), at),
                () -> LOG.info("Recurring schedule {} has no occurrence left", schedule.id()));
    }

    @Override
    public synchronized void disarm(String scheduleId) {
        Waiting previous = waiting.remove(scheduleId);
        if (previous != null) {
            previous.timer().cancel(false);
        }
    }

    private void waitFor(String scheduleId, Instant at) {
        long delay = Math.min(Math.max(0, Duration.between(clock.instant(), at).toMillis()), WALL_CLOCK_CHECK.toMillis());
        waiting.put(scheduleId, new Waiting(at, timer.schedule(() -> due(scheduleId, at), delay, TimeUnit.MILLISECONDS)));
    }

    /** A wait ended: fires the occurrence if the wall clock has reached it, then waits for the next one. */
    private synchronized void due(String scheduleId, Instant at) {
        Waiting current = waiting.get(scheduleId);
        if (current == null || !current.at().equals(at)) {
            return; // re-armed or disarmed meanwhile
        }
        Instant now = clock.instant();
        if (now.isBefore(at)) {
            waitFor(scheduleId, at);
            return;
        }
        waiting.remove(scheduleId);
        if (!fire(scheduleId, at) && Duration.between(at, now).compareTo(CATCH_UP) < 0) {
            waiting.put(scheduleId, new Waiting(at, timer.schedule(() -> due(scheduleId, at), RETRY.toMillis(),
                    TimeUnit.MILLISECONDS)));
            return;
        }
        // After a long sleep the occurrences it slept through are not all sent: the next is the first after now.
        store.findRecurringSchedule(scheduleId).filter(s -> s.state() == RecurringScheduleState.ACTIVE)
                .flatMap(s -> Recurrence.of(s).nextAfter(now.isAfter(at) ? now : at))
                .filter(next -> !waiting.containsKey(scheduleId))
                .ifPresent(next -> waitFor(scheduleId, next));
    }

    /** Whether the occurrence went through; one that failed is logged. */
    private boolean fire(String scheduleId, Instant at) {
        try {
            occurrences.accept(scheduleId, at);
            return true;
        } catch (RuntimeException e) {
            LOG.error("Occurrence {} of recurring schedule {} failed; it is tried again in {}", at, scheduleId, RETRY, e);
            return false;
        }
    }

    /** Ends every wait now, as its timer would: for tests whose clock jumps. */
    synchronized void wakeAll() {
        Map.copyOf(waiting).forEach((scheduleId, wait) -> due(scheduleId, wait.at()));
    }

    /** When the schedule's next occurrence is awaited, if it is: for tests and diagnostics. */
    synchronized Optional<Instant> awaited(String scheduleId) {
        return Optional.ofNullable(waiting.get(scheduleId)).map(Waiting::at);
    }

    /** How many schedules wait for an occurrence: for tests and diagnostics. */
    public synchronized int armedCount() {
        return waiting.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
