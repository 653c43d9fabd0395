package dev.herald.embedded;

import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.testing.InMemoryStore;
import dev.herald.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The local runtime's recurring triggers, on a wall clock the test moves (their timers never get to fire). */
class EmbeddedRecurringTriggersTest {

    private record Occurred(String scheduleId, Instant at) {
    }

    /** Tuesday 2030-01-15, 10:00 in Vienna. */
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T09:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final List<Occurred> occurred = new CopyOnWriteArrayList<>();
    private final EmbeddedRecurringTriggers triggers = new EmbeddedRecurringTriggers(store, clock);

    @AfterEach
    void close() {
        triggers.close();
    }

    private RecurringSchedule stored(String id, String expression, RecurringScheduleState state, Instant updatedAt) {
        RecurringSchedule schedule = new RecurringSchedule(id, "alice", "outbox", "Daily", "Hi", "Hi", null, "l1",
                expression, "Europe/Vienna", null, null, state, updatedAt, updatedAt, 0);
        store.insertRecurringSchedule(schedule);
        return schedule;
    }

    private void start() {
        triggers.start((id, at) -> occurred.add(new Occurred(id, at)));
    }

    @Test
    void aStart_armsTheActiveSchedules_andMakesUpTheLatestOccurrenceMissedSinceTheRuleWasSet() {
        // Daily at 08:00 Vienna (07:00 UTC): today's passed while the process was down.
        stored("daily", "cron(0 8 * * ? *)", RecurringScheduleState.ACTIVE, Instant.parse("2030-01-10T00:00:00Z"));
        // Set at 07:30 UTC today, after today's occurrence: nothing to make up.
        stored("new", "cron(0 8 * * ? *)", RecurringScheduleState.ACTIVE, Instant.parse("2030-01-15T07:30:00Z"));
        stored("paused", "cron(0 8 * * ? *)", RecurringScheduleState.PAUSED, Instant.parse("2030-01-10T00:00:00Z"));

        start();

        assertThat(occurred).containsExactly(new Occurred("daily", Instant.parse("2030-01-15T07:00:00Z")));
        assertThat(triggers.armedCount()).isEqualTo(2);
        assertThat(triggers.awaited("daily")).contains(Instant.parse("2030-01-16T07:00:00Z"));
        assertThat(triggers.awaited("paused")).isEmpty();
    }

    @Test
    void anOccurrence_firesOnceWhenTheWallClockReachesIt_andTheNextIsAwaited_evenAfterTheClockJumpsOverSeveral() {
        stored("hourly", "rate(1 hour)", RecurringScheduleState.ACTIVE, clock.instant());
        RecurringSchedule schedule = store.findRecurringSchedule("hourly").orElseThrow();
        store.updateRecurringSchedule(new RecurringSchedule(schedule.id(), schedule.ownerId(), schedule.messageSystemId(),
                schedule.name(), schedule.subject(), schedule.text(), schedule.html(), schedule.listId(),
                schedule.expression(), schedule.timeZone(), clock.instant(), null, schedule.state(), schedule.createdAt(),
                schedule.updatedAt(), schedule.version()));
        start();
        assertThat(triggers.awaited("hourly")).contains(Instant.parse("2030-01-15T10:00:00Z"));

        clock.advance(Duration.ofMinutes(59));
        triggers.wakeAll();
        assertThat(occurred).as("not yet").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        triggers.wakeAll();
        triggers.wakeAll();
        assertThat(occurred).containsExactly(new Occurred("hourly", Instant.parse("2030-01-15T10:00:00Z")));
        assertThat(triggers.awaited("hourly")).contains(Instant.parse("2030-01-15T11:00:00Z"));

        // A laptop asleep for five hours: the occurrence it woke at fires once, then the first after now.
        clock.advance(Duration.ofHours(5).plusMinutes(20));
        triggers.wakeAll();
        assertThat(occurred).extracting(Occurred::at).containsExactly(Instant.parse("2030-01-15T10:00:00Z"),
                Instant.parse("2030-01-15T11:00:00Z"));
        assertThat(triggers.awaited("hourly")).contains(Instant.parse("2030-01-15T16:00:00Z"));
    }

    @Test
    void aFailedOccurrence_isTriedAgain_untilItGoesThrough_thenTheNextIsAwaited() {
        stored("daily", "cron(0 8 * * ? *)", RecurringScheduleState.ACTIVE, clock.instant());
        AtomicInteger failures = new AtomicInteger(2);
        triggers.start((id, at) -> {
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("database is locked");
            }
            occurred.add(new Occurred(id, at));
        });
        Instant tomorrow = Instant.parse("2030-01-16T07:00:00Z");
        clock.set(tomorrow);

        triggers.wakeAll();
        assertThat(triggers.awaited("daily")).as("the same occurrence, again").contains(tomorrow);
        clock.advance(EmbeddedRecurringTriggers.RETRY);
        triggers.wakeAll();
        clock.advance(EmbeddedRecurringTriggers.RETRY);
        triggers.wakeAll();

        assertThat(occurred).containsExactly(new Occurred("daily", tomorrow));
        assertThat(triggers.awaited("daily")).contains(Instant.parse("2030-01-17T07:00:00Z"));
    }

    @Test
    void aPausedSchedule_waitsForNothing_andADisarmedOne_isForgotten() {
        RecurringSchedule daily = stored("daily", "cron(0 8 * * ? *)", RecurringScheduleState.ACTIVE, clock.instant());
        start();
        assertThat(triggers.armedCount()).isEqualTo(1);

        triggers.arm(daily.withState(RecurringScheduleState.PAUSED, clock.instant()));
        assertThat(triggers.armedCount()).isZero();
        triggers.arm(daily);
        assertThat(triggers.awaited("daily")).contains(Instant.parse("2030-01-16T07:00:00Z"));
        triggers.disarm("daily");
        clock.advance(Duration.ofDays(1));
        triggers.wakeAll();
        assertThat(occurred).isEmpty();
    }
}
