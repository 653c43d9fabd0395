package dev.herald.core.schedule;

import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/** A task's state moved together with its trigger, in the order that a crash in between leaves recoverable. */
final class TaskTriggers {

    private final Store store;
    private final TaskScheduler scheduler;
    private final Clock clock;

    TaskTriggers(Store store, TaskScheduler scheduler, Clock clock) {
        this.store = store;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Arms the trigger, then records the task as armed. A crash in between leaves it PENDING,
     * which a restart, a reconciler or a repeated request re-arms; a second arm is harmless.
     */
    void arm(Task task, boolean immediate) {
        if (immediate) {
            scheduler.fireNow(task);
        } else {
            scheduler.arm(task);
        }
        markArmed(task);
    }

    void markArmed(Task task) {
        Task current = task;
        while (current.state() == TaskState.PENDING) {
            Optional<Task> armed = store.updateTask(current.withState(TaskState.ARMED, null, null, clock.instant()));
            if (armed.isPresent()) {
                return;
            }
            current = store.findTask(task.id()).orElseThrow();
        }
    }

    /**
     * Moves the task, while it is in one of {@code from}, to {@code to} and disarms its trigger; answers the task moved,
     * or empty when it was in none of them.
     */
    Optional<Task> disarm(Task task, Set<TaskState> from, TaskState to) {
        Task current = task;
        while (from.contains(current.state())) {
            Optional<Task> moved = store.updateTask(current.withState(to, null, null, clock.instant()));
            if (moved.isPresent()) {
                scheduler.disarm(moved.get());
                return moved;
            }
            current = store.findTask(task.id()).orElseThrow();
        }
        return Optional.empty();
    }

}
