package dev.herald.bench;

import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.dispatch.Sleeper;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.Ids;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.RunMetrics;
import dev.herald.core.port.TaskScheduler;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.MessageView;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import dev.herald.core.unsubscribe.UnsubscribeTokens;
import dev.herald.embedded.EmbeddedScheduler;
import dev.herald.embedded.KeyringFile;
import dev.herald.embedded.SqliteStore;
import dev.herald.testkit.ScratchDirectory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A local-time message to 10,000 recipients in 300 zones, through the local runtime's parts (SQLite store, embedded
 * scheduler, dispatch) and a provider stub in the process that records when each mail is handed to it:
 * <ol>
 * <li>intake: the time to accept it, against the same 10,000 recipients at one instant (alternating, medians);</li>
 * <li>schedules: the triggers armed, against the distinct instants its local time falls on in those zones;</li>
 * <li>lateness per instant: each mail's hand-over minus its instant, p99 per instant, against a message of one instant
 *     to as many recipients as the largest group, run before (a cold JVM) and after (a warm one, the ratio's base).</li>
 * </ol>
 * The instants span 25 hours: the clock jumps to two seconds before each, and the task's trigger is armed again there,
 * as a process started then would arm it (a timer counts on the monotonic clock, which a jump of the wall clock does
 * not move; the scheduler's once-a-second wall-clock check would fire it up to a second late). From then on time runs.
 * About a minute. {@code java -cp functions/bench/target/herald-bench.jar dev.herald.bench.LocalTimeBenchmark}
 */
public final class LocalTimeBenchmark {

    private static final int RECIPIENTS = 10_000;
    private static final int ZONES = 300;
    private static final String LOCAL_TIME = "2030-03-05T09:00";
    private static final int INTAKE_ROUNDS = 5;
    private static final Caller ADMIN = new Caller("bench", Role.ADMIN);

    /** The wall clock, moved by whole jumps: real time plus an offset. */
    private static final class JumpingClock extends Clock {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void jumpTo(Instant instant) {
            offset.set(Duration.between(Instant.now(), instant));
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** Takes every mail at once and records when, on the benchmark's clock, by recipient address. */
    private static final class RecordingProvider extends InProcessProvider {
        private final Clock clock;
        final Map<String, Instant> handedOver = new ConcurrentHashMap<>();

        RecordingProvider(Clock clock) {
            this.clock = clock;
        }

        @Override
        List<Delivery> answer(MailBatch batch) {
            Instant now = clock.instant();
            batch.mails().forEach(mail -> handedOver.put(mail.to().email(), now));
            return batch.mails().stream().map(m -> Delivery.delivered("stub")).toList();
        }
    }

    /** The embedded scheduler, counting the triggers armed (at an instant, or at once). */
    private static final class CountingScheduler implements TaskScheduler {
        private final TaskScheduler scheduler;
        final AtomicInteger armed = new AtomicInteger();

        CountingScheduler(TaskScheduler scheduler) {
            this.scheduler = scheduler;
        }

        public void arm(Task task) {
            armed.incrementAndGet();
            scheduler.arm(task);
        }

        public void rearm(Task task) {
            scheduler.rearm(task);
        }

        public void disarm(Task task) {
            scheduler.disarm(task);
        }

        public void fireNow(Task task) {
            armed.incrementAndGet();
            scheduler.fireNow(task);
        }

        public void fireWorkers(Task task, int count) {
            scheduler.fireWorkers(task, count);
        }
    }

    /** One local runtime in a scratch directory. */
    private static final class LocalParts implements AutoCloseable {
        final JumpingClock clock = new JumpingClock();
        final RecordingProvider provider = new RecordingProvider(clock);
        final ScratchDirectory dir;
        final SqliteStore store;
        final EmbeddedScheduler embedded;
        final CountingScheduler scheduler;
        final ScheduleService schedule;

        LocalParts(Instant now) throws Exception {
            clock.jumpTo(now);
            dir = ScratchDirectory.create("herald-local-time");
            store = SqliteStore.open(dir.path(), clock);
            var keyring = KeyringFile.openOrCreate(dir.path().resolve("keyring"));
            embedded = new EmbeddedScheduler(store, clock, 4);
            scheduler = new CountingScheduler(embedded);
            new MessageSystemService(store, keyring, provider, clock).create(ADMIN, new MessageSystemSpec("bench", "Bench",
                    true, "outbox", "bench@example.com", null, null, 10_000.0, null, null, null, null));
            schedule = new ScheduleService(store, scheduler, new MessageViews(store), provider, new TemplateRenderer(),
                    SchedulingLimits.defaults(), clock, Ids.random());
            DispatchService dispatch = new DispatchService(store, keyring, provider, scheduler, new TemplateRenderer(),
                    new UnsubscribeLinks(new UnsubscribeTokens(keyring), "http://localhost:8080"), DispatchSettings.defaults(),
                    clock, Ids.random(), RunMetrics.none(), Sleeper.system());
            embedded.start(dispatch::fire);
        }

        MessageView scheduleTo(List<RecipientInput> recipients, boolean localTime) {
            return schedule.schedule(ADMIN, new ScheduleRequest("bench", "Good morning", "Hello {{email}}", null, recipients,
                    LOCAL_TIME, "Europe/Paris", null, null, null, null, null, localTime), null, null).view();
        }

        @Override
        public void close() {
            embedded.close();
            store.close();
            dir.close();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.printf("Herald local-time benchmark (%d cores, Java %s)%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        List<String> zones = zones();
        List<RecipientInput> recipients = IntStream.range(0, RECIPIENTS)
                .mapToObj(i -> new RecipientInput("r" + i + "@example.com", null, null, zones.get(i % ZONES))).toList();
        LocalDateTime at = LocalDateTime.parse(LOCAL_TIME);
        Map<Instant, Long> groupSizes = recipients.stream()
                .collect(Collectors.groupingBy(r -> at.atZone(ZoneId.of(r.timeZone())).toInstant(), Collectors.counting()));
        int largestGroup = groupSizes.values().stream().mapToInt(Long::intValue).max().orElseThrow();
        Instant before = Instant.parse("2030-03-04T00:00:00Z");
        intake(recipients, before);
        double baselineBefore = baseline(recipients, largestGroup, before);
        List<Double> p99s = new ArrayList<>();
        try (LocalParts runtime = new LocalParts(before)) {
            MessageView view = runtime.scheduleTo(recipients, true);
            System.out.printf("2. schedules: %d triggers armed for %d tasks; %d distinct instants of %s in the %d zones"
                            + " (from %s to %s)%n", runtime.scheduler.armed.get(), view.tasks().size(), groupSizes.size(),
                    LOCAL_TIME, ZONES, view.tasks().get(0).fireAt(), view.tasks().get(view.tasks().size() - 1).fireAt());
            for (Task task : view.tasks()) {
                List<String> group = recipientsOf(task, recipients);
                p99s.add(p99Lateness(runtime, task, group));
                System.out.printf("   %s: %d recipients, p99 %.0f ms%n", task.fireAt(), group.size(), p99s.get(p99s.size() - 1));
            }
            System.out.printf("   the message: %s%n", runtime.store.findMessage(view.message().id()).orElseThrow().status());
        }
        double baselineAfter = baseline(recipients, largestGroup, before);
        List<Double> sorted = p99s.stream().sorted().toList();
        System.out.printf("3. lateness p99 per instant (ms), %d instants: min %.0f, median %.0f, max %.0f%n",
                sorted.size(), sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
        System.out.printf("   baseline, one instant to %d recipients (the largest group): p99 %.0f ms run first (a cold JVM),"
                        + " %.0f ms run last; worst instant %.2fx, median instant %.2fx of the last%n", largestGroup,
                baselineBefore, baselineAfter, sorted.get(sorted.size() - 1) / baselineAfter,
                sorted.get(sorted.size() / 2) / baselineAfter);
    }

    /** The p99 lateness of a message of one instant to the first {@code size} recipients, in a runtime of its own. */
    private static double baseline(List<RecipientInput> recipients, int size, Instant now) throws Exception {
        List<RecipientInput> oneInstant = recipients.subList(0, size).stream()
                .map(r -> new RecipientInput(r.email(), null, null)).toList();
        try (LocalParts runtime = new LocalParts(now)) {
            MessageView view = runtime.scheduleTo(oneInstant, false);
            return p99Lateness(runtime, view.tasks().get(0), oneInstant.stream().map(RecipientInput::email).toList());
        }
    }

    /** Accepting the local-time message against the same recipients at one instant: alternating, after a warm-up. */
    private static void intake(List<RecipientInput> recipients, Instant now) throws Exception {
        List<RecipientInput> oneInstant = recipients.stream().map(r -> new RecipientInput(r.email(), null, null)).toList();
        List<Long> local = new ArrayList<>();
        List<Long> single = new ArrayList<>();
        try (LocalParts runtime = new LocalParts(now)) {
            runtime.scheduleTo(recipients, true);
            runtime.scheduleTo(oneInstant, false);
            for (int round = 0; round < INTAKE_ROUNDS; round++) {
                local.add(timed(() -> runtime.scheduleTo(recipients, true)));
                single.add(timed(() -> runtime.scheduleTo(oneInstant, false)));
            }
        }
        double localMedian = median(local);
        double singleMedian = median(single);
        System.out.printf("1. intake of %d recipients: local time in %d zones median %.0f ms %s; one instant median %.0f ms"
                        + " %s; ratio %.2fx%n", RECIPIENTS, ZONES, localMedian, local, singleMedian, single,
                localMedian / singleMedian);
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /**
     * Jumps to two seconds before the task's instant, arms its trigger again, waits until the group has all been handed
     * over, and answers the p99 of the hand-overs' lateness in milliseconds.
     */
    private static double p99Lateness(LocalParts runtime, Task task, List<String> group) throws InterruptedException {
        runtime.clock.jumpTo(task.fireAt().minusSeconds(2));
        runtime.embedded.rearm(task);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!group.stream().allMatch(runtime.provider.handedOver::containsKey)
                || runtime.store.findTask(task.id()).orElseThrow().state() != TaskState.DONE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("task " + task.id() + " at " + task.fireAt() + " not sent within a minute: "
                        + group.stream().filter(runtime.provider.handedOver::containsKey).count() + " of " + group.size()
                        + " handed over, task " + runtime.store.findTask(task.id()).orElseThrow());
            }
            Thread.sleep(5);
        }
        List<Long> lateness = group.stream()
                .map(address -> Duration.between(task.fireAt(), runtime.provider.handedOver.get(address)).toMillis())
                .sorted().toList();
        return lateness.get(Math.min(lateness.size() - 1, (int) Math.ceil(lateness.size() * 0.99) - 1));
    }

    /** The addresses whose zone is one of the task's. */
    private static List<String> recipientsOf(Task task, List<RecipientInput> recipients) {
        return recipients.stream().filter(r -> task.timeZones().contains(r.timeZone())).map(RecipientInput::email).toList();
    }

    /**
     * 300 of the IANA zones of places (not Etc/ offsets or aliases), spread evenly through the sorted names, with
     * Kiribati and American Samoa, the earliest and the latest, among them.
     */
    private static List<String> zones() {
        List<String> places = ZoneId.getAvailableZoneIds().stream()
                .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")
                        && Character.isUpperCase(z.charAt(0)) && !z.matches("(US|Canada|Brazil|Chile|Mexico)/.*"))
                .sorted(Comparator.naturalOrder()).toList();
        List<String> picked = new ArrayList<>(List.of("Pacific/Kiritimati", "Pacific/Pago_Pago"));
        for (int i = 0; picked.size() < ZONES && i < ZONES; i++) {
            String zone = places.get(i * places.size() / ZONES);
            if (!picked.contains(zone)) {
                picked.add(zone);
            }
        }
        places.stream().filter(z -> !picked.contains(z)).limit(ZONES - picked.size()).forEach(picked::add);
        return picked;
    }
}
