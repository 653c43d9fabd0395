package dev.herald.core.testing;

import dev.herald.core.model.Task;
import dev.herald.core.port.TaskScheduler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** Remembers what it was asked; fires nothing by itself (a test may start the workers it is asked for). */
public final class RecordingScheduler implements TaskScheduler {

    public final List<Task> armed = new CopyOnWriteArrayList<>();
    public final List<Task> rearmed = new CopyOnWriteArrayList<>();
    public final List<Task> disarmed = new CopyOnWriteArrayList<>();
    public final List<Task> firedNow = new CopyOnWriteArrayList<>();
    /** One entry per worker asked for. */
    public final List<Task> workersFired = new CopyOnWriteArrayList<>();
    /** What a test does when workers are asked for: start them, as Lambda would. */
    public volatile BiConsumer<Task, Integer> whenWorkersFired = (task, count) -> { };

    @Override
    public void arm(Task task) {
        armed.add(task);
    }

    @Override
    public void rearm(Task task) {
        rearmed.add(task);
    }

    @Override
    public void disarm(Task task) {
        disarmed.add(task);
    }

    @Override
    public void fireNow(Task task) {
        firedNow.add(task);
    }

    @Override
    public void fireWorkers(Task task, int count) {
        for (int i = 0; i < count; i++) {
            workersFired.add(task);
        }
        whenWorkersFired.accept(task, count);
    }
}
