package dev.herald.embedded;

import dev.herald.core.dispatch.DispatchResult;
import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.dispatch.Firing;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.Trigger;
import dev.herald.core.testing.Fixtures;
import dev.herald.core.testing.InMemoryStore;
import dev.herald.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSchedulerTest {

    private record Fired(FireRequest request, Instant at) {
    }

    private final Clock clock = Clock.systemUTC();
    private final InMemoryStore store = new InMemoryStore();
    private final List<Fired> firings = new CopyOnWriteArrayList<>();
    private EmbeddedScheduler scheduler = new EmbeddedScheduler(store, clock, 2);

    @AfterEach
    void close() {
        scheduler.close();
    }

    private Task storeTask(String id, Instant fireAt, TaskState state) {
        Fixtures.StoredMessage m = Fixtures.message(id, "alice", "outbox", 1, 10, clock.instant(), fireAt,
                DeliveryGuarantee.AT_LEAST_ONCE);
        Task task = m.task().withState(state, state == TaskState.RUNNING ? "dead-run" : null,
                state == TaskState.RUNNING ? clock.instant().plusMillis(300) : null, clock.instant());
        store.createMessage(m.message(), m.chunks(), task);
        return task;
    }

    private void startRecording() {
        scheduler.start(request -> {
            firings.add(new Fired(request, clock.instant()));
            return Firing.ended(new DispatchResult(DispatchResult.Outcome.COMPLETED, "run", null));
        });
    }

    private void awaitFirings(int count) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (firings.size() < count && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    @Test
    void armedTask_firesAtItsInstant_withinASecond() throws Exception {
        startRecording();
        Instant fireAt = clock.instant().plusMillis(400);
        scheduler.arm(storeTask("m1", fireAt, TaskState.ARMED));

        awaitFirings(1);

        assertThat(firings).singleElement().satisfies(f -> {
            assertThat(f.request().taskId()).isEqualTo("task-m1");
            assertThat(f.request().trigger()).isEqualTo(Trigger.SCHEDULE);
            assertThat(f.at()).isAfterOrEqualTo(fireAt).isBefore(fireAt.plusSeconds(1));
        });
    }

    @Test
    void disarmedTask_neverFires_andRearmMovesIt() throws Exception {
        startRecording();
        Task task = storeTask("m1", clock.instant().plusMillis(200), TaskState.ARMED);
        scheduler.arm(task);
        scheduler.disarm(task);
        Task moved = storeTask("m2", clock.instant().plusSeconds(30), TaskState.ARMED);
        scheduler.arm(moved);
        scheduler.rearm(new Task(moved.id(), moved.messageId(), moved.messageSystemId(), moved.category(),
                clock.instant().plusMillis(300), ChunkRange.ALL, List.of(), TaskState.ARMED, null, null, moved.createdAt(), moved.updatedAt(), 0));

        awaitFirings(1);
        Thread.sleep(300);

        assertThat(firings).extracting(f -> f.request().taskId()).containsExactly("task-m2");
        assertThat(scheduler.armedCount()).isZero();
    }

    @Test
    void onStart_overdueTasksFireAtOnce_futureOnesWait_deadRunsFireWhenTheirLeaseEnds() throws Exception {
        storeTask("overdue", clock.instant().minusSeconds(90), TaskState.ARMED);
        storeTask("pending", clock.instant().minusSeconds(5), TaskState.PENDING);
        storeTask("future", clock.instant().plusSeconds(60), TaskState.ARMED);
        Instant leaseEnd = storeTask("crashed", clock.instant().minusSeconds(10), TaskState.RUNNING).leaseUntil();
        storeTask("done", clock.instant().minusSeconds(10), TaskState.DONE);

        startRecording();
        awaitFirings(3);

        assertThat(firings).extracting(f -> f.request().taskId())
                .containsExactlyInAnyOrder("task-overdue", "task-pending", "task-crashed");
        assertThat(firings).allMatch(f -> f.request().trigger() == Trigger.RECOVERY);
        assertThat(firings).filteredOn(f -> f.request().taskId().equals("task-crashed"))
                .allMatch(f -> !f.at().isBefore(leaseEnd));
        assertThat(scheduler.armedCount()).isEqualTo(1);
    }

    @Test
    void aTaskWhoseInstantPassedWhileTheMachineSleptOrTheClockStepped_firesAtTheNextWallClockCheck_exactlyOnce() {
        MutableClock wallClock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
        scheduler.close();
        scheduler = new EmbeddedScheduler(store, wallClock, 2);
        scheduler.start(request -> {
            firings.add(new Fired(request, wallClock.instant()));
            return Firing.ended(new DispatchResult(DispatchResult.Outcome.COMPLETED, "run", null));
        });
        Instant fireAt = wallClock.instant().plus(Duration.ofHours(1));
        scheduler.arm(storeTask("asleep", fireAt, TaskState.ARMED));
        scheduler.fireWhatTheWallClockSaysIsDue();
        assertThat(firings).as("not due yet").isEmpty();

        wallClock.advance(Duration.ofHours(2)); // the lid opens: the timer's own delay still has an hour to run
        scheduler.fireWhatTheWallClockSaysIsDue();
        scheduler.fireWhatTheWallClockSaysIsDue();

        assertThat(firings).singleElement().satisfies(f -> {
            assertThat(f.request().taskId()).isEqualTo("task-asleep");
            assertThat(f.request().scheduledTime()).isEqualTo(fireAt);
        });
        assertThat(scheduler.armedCount()).isZero();
    }

    @Test
    void theTimerThread_isResponsiveOnceStarted_andNotAfterClosing() {
        assertThat(scheduler.isResponsive()).as("before start").isFalse();
        startRecording();
        assertThat(scheduler.isResponsive()).isTrue();
        scheduler.close();
        assertThat(scheduler.isResponsive()).isFalse();
    }
}
