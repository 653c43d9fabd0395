package dev.herald.core.dispatch;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Cipher;
import dev.herald.core.port.Ids;
import dev.herald.core.port.RunMetrics;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import dev.herald.core.port.Transport;
import dev.herald.core.port.TransportFactory;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.system.JobAccounts;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The send side of Herald: a trigger fired for a task; claim it, deliver the message to every
 * recipient still pending, record each outcome, finish. A duplicate firing sends nothing.
 */
public final class DispatchService {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchService.class);

    private final Store store;
    private final DispatchSettings settings;
    private final Clock clock;
    private final Ids ids;
    private final Sleeper sleeper;
    private final RunServices runServices;

    public DispatchService(Store store, Cipher cipher, TransportFactory transports, TaskScheduler scheduler,
                           TemplateRenderer renderer, UnsubscribeLinks unsubscribeLinks, DispatchSettings settings,
                           Clock clock, Ids ids, RunMetrics metrics, Sleeper sleeper) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.ids = ids;
        this.sleeper = sleeper;
        this.runServices = new RunServices(store, new JobAccounts(cipher), transports, scheduler, renderer,
                unsubscribeLinks, new RateLimiters(settings, clock, sleeper), settings, metrics, clock);
    }

    /** Fires the task and delivers it: {@link #fire} and {@link Firing#complete} in one go. */
    public DispatchResult dispatch(FireRequest request, Deadline deadline) {
        return fire(request).complete(deadline);
    }

    /**
     * The first, short half of a dispatch: claims the task (one read, one conditional write). A
     * runtime that fires many tasks at once claims them all at their instant and delivers them as
     * workers free up; each run record gives the claim's instant as its start.
     */
    public Firing fire(FireRequest request) {
        MDC.put("taskId", request.taskId());
        try {
            return claimAndStart(request);
        } finally {
            MDC.remove("taskId");
            MDC.remove("messageId");
        }
    }

    private Firing claimAndStart(FireRequest request) {
        Optional<Task> found = store.findTask(request.taskId());
        if (found.isEmpty()) {
            LOG.warn("Fired for unknown task {}; nothing to do", request.taskId());
            return Firing.ended(DispatchResult.withoutRun(DispatchResult.Outcome.UNKNOWN_TASK));
        }
        Task task = found.get();
        MDC.put("messageId", task.messageId());
        if (request.trigger() == Trigger.WORKER) {
            return Firing.started(new WorkerRun(runServices, task, ids.newId(), request, clock.instant()), task.id());
        }
        Instant now = clock.instant();
        Duration early = Duration.between(now, task.fireAt());
        if (early.compareTo(settings.earlyFiringTolerance()) > 0) {
            if (early.compareTo(settings.earlyWait()) > 0) {
                LOG.info("Stale firing of task {}: it is due at {}, not now", task.id(), task.fireAt());
                return Firing.ended(DispatchResult.withoutRun(DispatchResult.Outcome.STALE));
            }
            LOG.info("Task {} fired {} ms before its instant; waiting for it", task.id(), early.toMillis());
            try {
                sleeper.sleep(early);
                // Read it again: while this waited, the message may have been cancelled or moved.
                return claimAndStart(request);
            } catch (InterruptedException e) {
                // No trigger repeats this firing: deliver a little early rather than not at all.
                Thread.currentThread().interrupt();
            }
        }
        String runId = ids.newId();
        Optional<Task> claimed = claim(task, runId);
        if (claimed.isEmpty()) {
            LOG.info("Duplicate firing of task {}: already done, cancelled or running", task.id());
            return Firing.ended(DispatchResult.withoutRun(DispatchResult.Outcome.DUPLICATE));
        }
        return Firing.started(new ActiveRun(runServices, claimed.get(), runId, request, now), request.taskId());
    }

    /** Claims the task with a conditional write; empty when it is not claimable (any more). */
    private Optional<Task> claim(Task task, String runId) {
        Task current = task;
        while (true) {
            Instant now = clock.instant();
            if (!current.isClaimable(now)) {
                return Optional.empty();
            }
            Optional<Task> claimed = store.updateTask(
                    current.withState(TaskState.RUNNING, runId, now.plus(settings.taskLease()), now));
            if (claimed.isPresent()) {
                return claimed;
            }
            Optional<Task> reread = store.findTask(task.id());
            if (reread.isEmpty()) {
                return Optional.empty();
            }
            current = reread.get();
        }
    }

    /** The system's limiter, as runs get it: for tests of the rates a system sends at. */
    AdaptiveRateLimiter rateLimiter(MessageSystem system, Transport transport) {
        return runServices.rateLimiters().forSystem(system, transport);
    }
}
