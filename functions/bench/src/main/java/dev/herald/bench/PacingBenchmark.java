package dev.herald.bench;

import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.dispatch.Sleeper;
import dev.herald.core.model.Task;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.Ids;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.RunMetrics;
import dev.herald.core.port.TaskScheduler;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import dev.herald.core.unsubscribe.UnsubscribeTokens;
import dev.herald.embedded.KeyringFile;
import dev.herald.embedded.SqliteStore;
import dev.herald.testkit.ScratchDirectory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * How Herald paces its calls to a provider, in real time, through the dispatch as it runs (store,
 * rate limiter, retries), against a stub provider in the process that records every call:
 * <ol>
 * <li>at SES's default quota of 14/s, the mails in every one-second window and in each minute;</li>
 * <li>asked for 1,000/s by a provider that takes 100/s in any second, what it sends each ten
 *     seconds and how many of its calls are throttled once it has settled.</li>
 * </ol>
 * About two minutes. {@code java -cp functions/bench/target/herald-bench.jar dev.herald.bench.PacingBenchmark}
 */
public final class PacingBenchmark {

    private static final long SECOND = 1_000_000_000L;

    /** A provider stub: takes at most {@code quota} mails in any second (a sliding window) and says how many a second it takes. */
    private static final class StubProvider extends InProcessProvider {
        private final int quota;
        private final long start = System.nanoTime();
        private final ArrayDeque<long[]> window = new ArrayDeque<>();
        /** Each call: nanoseconds since the start, mails, 1 when throttled. */
        final List<long[]> calls = new ArrayList<>();

        StubProvider(int quota) {
            this.quota = quota;
        }

        @Override
        OptionalDouble sendRate() {
            return OptionalDouble.of(quota);
        }

        @Override
        boolean renders() {
            return true;
        }

        @Override
        List<Delivery> answer(MailBatch batch) {
            boolean accepted = accept(System.nanoTime() - start, batch.mails().size());
            Delivery delivery = accepted ? Delivery.delivered("stub") : Delivery.throttled("Throttling: Maximum sending rate exceeded");
            return batch.mails().stream().map(m -> delivery).toList();
        }

        private synchronized boolean accept(long now, int mails) {
            while (!window.isEmpty() && window.peekFirst()[0] <= now - SECOND) {
                window.removeFirst();
            }
            boolean accepted = window.stream().mapToLong(c -> c[1]).sum() + mails <= quota;
            if (accepted) {
                window.addLast(new long[]{now, mails});
            }
            calls.add(new long[]{now, mails, accepted ? 0 : 1});
            return accepted;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("Herald pacing benchmark (%d cores, Java %s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        atTheDefaultQuota();
        convergingOnTheProvidersLimit();
    }

    /** 14/s for 70 s: no second above 14, and each minute 840. */
    private static void atTheDefaultQuota() throws Exception {
        StubProvider provider = new StubProvider(14);
        send(provider, null, 14 * 75, 70);
        List<long[]> accepted = provider.calls.stream().filter(c -> c[2] == 0).toList();
        long busiest = 0;
        for (long[] call : accepted) {
            busiest = Math.max(busiest, accepted.stream().filter(c -> c[0] >= call[0] && c[0] < call[0] + SECOND)
                    .mapToLong(c -> c[1]).sum());
        }
        long firstMinute = accepted.stream().filter(c -> c[0] < 60 * SECOND).mapToLong(c -> c[1]).sum();
        System.out.printf("1. at 14/s: %d calls of %s mails; busiest second %d mails (quota 14); first minute %d (840 is"
                        + " the quota, %.1f %%); %d calls throttled%n", accepted.size(),
                accepted.stream().map(c -> c[1]).distinct().sorted().toList(), busiest, firstMinute,
                100.0 * firstMinute / 840, provider.calls.size() - accepted.size());
    }

    /** 1,000/s asked, 100/s taken, for 60 s. */
    private static void convergingOnTheProvidersLimit() throws Exception {
        StubProvider provider = new StubProvider(100);
        send(provider, 1000.0, 100 * 65, 60);
        List<Long> perTen = new ArrayList<>();
        for (int from = 0; from < 60; from += 10) {
            long lower = from * SECOND;
            perTen.add(provider.calls.stream().filter(c -> c[2] == 0 && c[0] >= lower && c[0] < lower + 10 * SECOND)
                    .mapToLong(c -> c[1]).sum());
        }
        List<long[]> settled = provider.calls.stream().filter(c -> c[0] >= 10 * SECOND).toList();
        long throttled = settled.stream().filter(c -> c[2] == 1).count();
        System.out.printf("2. asked 1,000/s, the provider takes 100/s: mails per 10 s %s (goal >= 900 from the 10th second);"
                        + " after 10 s %d of %d calls throttled (%.1f %%, goal <= 5 %%)%n", perTen, throttled, settled.size(),
                100.0 * throttled / Math.max(1, settled.size()));
    }

    /** Schedules one message of {@code recipients} for a system at {@code rate} and dispatches it for {@code seconds}. */
    private static void send(StubProvider provider, Double rate, int recipients, int seconds) throws Exception {
        try (ScratchDirectory dir = ScratchDirectory.create("herald-pacing")) {
            Clock clock = Clock.systemUTC();
            SqliteStore store = SqliteStore.open(dir.path(), clock);
            try {
                var keyring = KeyringFile.openOrCreate(dir.path().resolve("keyring"));
                AtomicReference<Task> fired = new AtomicReference<>();
                TaskScheduler scheduler = new TaskScheduler() {
                    public void arm(Task task) {
                    }

                    public void rearm(Task task) {
                    }

                    public void disarm(Task task) {
                    }

                    public void fireNow(Task task) {
                        fired.set(task);
                    }

                    public void fireWorkers(Task task, int count) {
                        throw new IllegalStateException("the bench's settings never fan a message out");
                    }
                };
                Caller admin = new Caller("bench", Role.ADMIN);
                new MessageSystemService(store, keyring, provider, clock).create(admin, new MessageSystemSpec("paced",
                        "Paced", true, "outbox", "bench@example.com", null, null, rate, null, null, null, null));
                List<RecipientInput> to = IntStream.range(0, recipients)
                        .mapToObj(i -> new RecipientInput("r" + i + "@example.com", null, null)).toList();
                new ScheduleService(store, scheduler, new MessageViews(store), provider, new TemplateRenderer(), SchedulingLimits.defaults(), clock,
                        Ids.random()).schedule(admin, new ScheduleRequest("paced", "Hello", "Hi {{email}}", null, to, null,
                        null, null, null), null, null);
                DispatchService dispatch = new DispatchService(store, keyring, provider, scheduler, new TemplateRenderer(),
                        new UnsubscribeLinks(new UnsubscribeTokens(keyring), "http://localhost:8080"),
                        DispatchSettings.defaults(), clock, Ids.random(), RunMetrics.none(), Sleeper.system());
                long until = System.nanoTime() + seconds * SECOND;
                // Stops the run at the deadline: the measurement is the pacing, not the whole message.
                dispatch.dispatch(new FireRequest(fired.get().id(), Trigger.IMMEDIATE, null),
                        () -> Duration.ofNanos(until - System.nanoTime()).plus(DispatchSettings.defaults().checkpointMargin()));
            } finally {
                store.close();
            }
        }
    }
}
