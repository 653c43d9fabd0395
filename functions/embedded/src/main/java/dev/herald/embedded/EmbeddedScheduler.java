package dev.herald.embedded;

import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.dispatch.Firing;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * In-process one-time triggers over the store, which keeps them durable: on start every pending
 * or armed task is armed again (overdue ones fire at once) and a task whose run died fires when
 * its lease ends. A firing only starts the dispatch; the dispatch's claim makes sure a task is
 * sent once, however often it fires. On close, running dispatches checkpoint at their next chunk.
 * <p>
 * A timer's delay runs on the machine's monotonic clock, which stops while a laptop sleeps and
 * ignores a step of the wall clock; so every second the armed triggers are also compared with the
 * wall clock, and one whose instant has passed fires at once (once: whichever comes first wins).
 * That check is also the timer thread's heartbeat, which health reports.
 */
public final class EmbeddedScheduler implements TaskScheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedScheduler.class);

    private static final Duration MAX_YIELD = Duration.ofSeconds(2);
    private static final Duration YIELD_STEP = Duration.ofMillis(1);
    static final Duration WALL_CLOCK_CHECK = Duration.ofSeconds(1);
    /** A timer thread that has not checked the wall clock for this long is stalled. */
    private static final Duration STALLED = Duration.ofSeconds(10);

    /** A trigger waiting for its instant; {@code sequence} tells apart two armings of one task at one instant. */
    private record Armed(String taskId, Instant at, Trigger trigger, long sequence,
                         CompletableFuture<ScheduledFuture<?>> timer) {
    }

    private static final Comparator<Armed> BY_INSTANT = Comparator.comparing(Armed::at).thenComparingLong(Armed::sequence);

    private final Store store;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService workers;
    private final Map<String, Armed> armed = new ConcurrentHashMap<>();
    /** The same triggers, soonest first: the wall-clock check reads only the due ones, not every trigger. */
    private final NavigableSet<Armed> byInstant = new ConcurrentSkipListSet<>(BY_INSTANT);
    private final AtomicLong armings = new AtomicLong();
    private volatile Function<FireRequest, Firing> dispatch;
    private volatile boolean closing;
    private volatile long lastWallClockCheck = System.nanoTime();

    public EmbeddedScheduler(Store store, Clock clock, int workerThreads) {
        this.store = store;
        this.clock = clock;
        this.timer = new ScheduledThreadPoolExecutor(1, named("herald-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.workers = Executors.newFixedThreadPool(workerThreads, named("herald-dispatch"));
    }

    /**
     * Connects the dispatch and re-arms what the store holds; nothing fires before this. A due
     * task is claimed on the timer thread, at its instant, and delivered by a worker.
     */
    public void start(Function<FireRequest, Firing> fireDispatch) {
        this.dispatch = fireDispatch;
        int recovered = 0;
        for (Task task : store.listTasksByState(EnumSet.of(TaskState.PENDING, TaskState.ARMED, TaskState.RUNNING))) {
            recover(task);
            recovered++;
        }
        lastWallClockCheck = System.nanoTime();
        timer.scheduleWithFixedDelay(this::fireWhatTheWallClockSaysIsDue, WALL_CLOCK_CHECK.toMillis(),
                WALL_CLOCK_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Embedded scheduler started; {} task(s) re-armed from the store", recovered);
    }

    /** Fires every armed trigger whose instant the wall clock has passed, however its timer has fared. */
    void fireWhatTheWallClockSaysIsDue() {
        lastWallClockCheck = System.nanoTime();
        Instant now = clock.instant();
        for (Armed trigger : byInstant) {
            if (trigger.at().isAfter(now)) {
                return;
            }
            fire(trigger);
        }
    }

    /** Whether the timer thread checks the wall clock as it should: false when it is stalled or closed. */
    public boolean isResponsive() {
        return !closing && dispatch != null && System.nanoTime() - lastWallClockCheck < STALLED.toNanos();
    }

    private void recover(Task task) {
        if (task.state() == TaskState.RUNNING) {
            Instant leaseEnd = task.leaseUntil() == null ? clock.instant() : task.leaseUntil();
            schedule(task.id(), leaseEnd, Trigger.RECOVERY);
        } else if (task.fireAt().isAfter(clock.instant())) {
            schedule(task.id(), task.fireAt(), Trigger.SCHEDULE);
        } else {
            schedule(task.id(), clock.instant(), Trigger.RECOVERY);
        }
    }

    @Override
    public void arm(Task task) {
        schedule(task.id(), task.fireAt(), Trigger.SCHEDULE);
    }

    @Override
    public void rearm(Task task) {
        arm(task);
    }

    @Override
    public void disarm(Task task) {
        Armed trigger = armed.remove(task.id());
        if (trigger != null) {
            forget(trigger);
        }
    }

    @Override
    public void fireNow(Task task) {
        schedule(task.id(), clock.instant(), Trigger.IMMEDIATE);
    }

    /**
     * Workers run on the dispatch threads beside the run holding the task. (The local runtime's settings never
     * fan a message out: its runs share one process, and a process's rate limiter, already.)
     */
    @Override
    public void fireWorkers(Task task, int count) {
        for (int i = 0; i < count && !closing; i++) {
            Firing firing = dispatch.apply(new FireRequest(task.id(), Trigger.WORKER, clock.instant()));
            workers.execute(() -> deliver(task.id(), firing));
        }
    }

    private void schedule(String taskId, Instant at, Trigger trigger) {
        if (closing) {
            return; // the task stays in the store and is re-armed at the next start
        }
        long delayNanos = Math.max(0, Duration.between(clock.instant(), at).toNanos());
        Armed armedTrigger = new Armed(taskId, at, trigger, armings.incrementAndGet(), new CompletableFuture<>());
        // Recorded before its timer starts, so that a trigger due at once cannot fire unrecorded.
        Armed previous = armed.put(taskId, armedTrigger);
        byInstant.add(armedTrigger);
        if (previous != null) {
            forget(previous);
        }
        armedTrigger.timer().complete(timer.schedule(() -> fire(armedTrigger), delayNanos, TimeUnit.NANOSECONDS));
    }

    /** Fires a trigger that is still armed: its timer or the wall-clock check, whichever comes first. */
    private void fire(Armed trigger) {
        if (!armed.remove(trigger.taskId(), trigger)) {
            return;
        }
        forget(trigger);
        if (closing) {
            return;
        }
        String taskId = trigger.taskId();
        try {
            Firing firing = dispatch.apply(new FireRequest(taskId, trigger.trigger(), trigger.at()));
            if (firing.claimed()) {
                workers.execute(() -> deliver(taskId, firing));
            }
        } catch (RuntimeException e) {
            retryLater(taskId, e);
        }
    }

    /** A trigger no longer armed: out of the index, its timer cancelled (once it has one). */
    private void forget(Armed trigger) {
        byInstant.remove(trigger);
        trigger.timer().thenAccept(future -> future.cancel(false));
    }

    private void deliver(String taskId, Firing firing) {
        try {
            yieldToDueTriggers();
            firing.complete(this::remaining);
        } catch (RuntimeException e) {
            retryLater(taskId, e);
        }
    }

    /**
     * Claims come first: while triggers are due, a worker waits (a bounded while) before it starts
     * a delivery, so that a burst of tasks due at once is claimed at its instant, not behind the
     * deliveries of the first ones.
     */
    private void yieldToDueTriggers() {
        long until = System.nanoTime() + MAX_YIELD.toNanos();
        while (hasDueTriggers() && System.nanoTime() < until && !closing) {
            LockSupport.parkNanos(YIELD_STEP.toNanos());
        }
    }

    private boolean hasDueTriggers() {
        Runnable head = timer.getQueue().peek();
        return head instanceof Delayed delayed && delayed.getDelay(TimeUnit.NANOSECONDS) <= 0;
    }

    private void retryLater(String taskId, RuntimeException e) {
        LOG.error("Dispatch of task {} failed; it is retried when its claim expires", taskId, e);
        store.findTask(taskId).filter(t -> t.state() == TaskState.RUNNING).ifPresent(this::recover);
    }

    /** Runs have no deadline of their own here; closing the scheduler is theirs. */
    private Duration remaining() {
        return closing ? Duration.ZERO : Duration.ofDays(365);
    }

    /** How many triggers are waiting: for tests and diagnostics. */
    public int armedCount() {
        return armed.size();
    }

    @Override
    public void close() {
        closing = true;
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Dispatches still running after 30 s; they resume after the next start");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
