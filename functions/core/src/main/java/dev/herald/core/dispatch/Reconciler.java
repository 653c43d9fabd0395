package dev.herald.core.dispatch;

import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Fires the tasks that no trigger will fire any more, for a runtime whose triggers live outside the
 * store (EventBridge): run every minute or so, it keeps "nothing accepted is lost" true when a process
 * dies between two steps. Each firing only asks; the claim decides, so a task fired twice is sent once.
 * <ul>
 *   <li>a task still {@code PENDING} (stored, but its trigger was never armed) once it is due within
 *       the arming lead: the firing waits for the instant;</li>
 *   <li>an {@code ARMED} task past its instant by more than the grace: its firing, or the firing of its
 *       continuation, was lost;</li>
 *   <li>a {@code RUNNING} task whose claim expired: its run died, and the next run takes over.</li>
 * </ul>
 * A message that never started and is overdue by more than the maximum event age is left alone, as
 * EventBridge would leave it: a stale blast is not sent late (its firing went to the dead-letter queue).
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Store store;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final Duration armingLead;
    private final Duration grace;
    private final Duration maximumEventAge;

    /**
     * @param armingLead      how long before its instant a task may be fired (it then waits)
     * @param grace           how long past its instant an armed task is left to its own trigger, and how old
     *                        a pending task must be before it counts as abandoned rather than being armed
     * @param maximumEventAge how late a message that never started may still go out
     */
    public Reconciler(Store store, TaskScheduler scheduler, Clock clock, Duration armingLead, Duration grace,
                      Duration maximumEventAge) {
        this.store = store;
        this.scheduler = scheduler;
        this.clock = clock;
        this.armingLead = armingLead;
        this.grace = grace;
        this.maximumEventAge = maximumEventAge;
    }

    /** Fires what needs firing; answers the ids of the tasks it fired. */
    public List<String> reconcile() {
        Instant now = clock.instant();
        List<String> fired = new ArrayList<>();
        // Nothing due later than the arming lead needs firing: the many tasks armed for later are not read.
        Instant dueBy = now.plus(armingLead);
        for (Task task : store.listTasksByState(EnumSet.of(TaskState.PENDING, TaskState.ARMED, TaskState.RUNNING), dueBy)) {
            Optional<String> reason = reasonToFire(task, now);
            if (reason.isPresent()) {
                LOG.warn("Reconciling task {} of message {}: {}", task.id(), task.messageId(), reason.get());
                scheduler.fireNow(task);
                fired.add(task.id());
            }
        }
        return fired;
    }

    private Optional<String> reasonToFire(Task task, Instant now) {
        return switch (task.state()) {
            // Due within the arming lead, as every task read is.
            case PENDING -> task.createdAt().isBefore(now.minus(grace)) && !stale(task, now)
                    ? Optional.of("its trigger was never armed") : Optional.empty();
            case ARMED -> task.fireAt().isBefore(now.minus(grace)) && task.updatedAt().isBefore(now.minus(grace))
                    && !stale(task, now) ? Optional.of("its firing was lost") : Optional.empty();
            case RUNNING -> task.leaseUntil() != null && task.leaseUntil().isBefore(now)
                    ? Optional.of("its run died (claim expired at " + task.leaseUntil() + ")") : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** Overdue beyond the maximum event age, and never started: EventBridge gave up on it too. */
    private boolean stale(Task task, Instant now) {
        return task.fireAt().isBefore(now.minus(maximumEventAge))
                && store.findMessage(task.messageId()).map(Message::status).orElse(null) == MessageStatus.SCHEDULED;
    }
}
