package dev.herald.core.testing;

import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.audience.ListService;
import dev.herald.core.crypto.AesGcmKeyring;
import dev.herald.core.dispatch.Deadline;
import dev.herald.core.dispatch.DispatchResult;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.DispatchSettings;
import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.dispatch.RunReport;
import dev.herald.core.model.Trigger;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.MessageLifecycle;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.Recurrence;
import dev.herald.core.schedule.RecurringScheduleService;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.suppression.SuppressionService;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.unsubscribe.UnsubscribeLinks;
import dev.herald.core.unsubscribe.UnsubscribeService;
import dev.herald.core.unsubscribe.UnsubscribeTokens;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The core wired with fakes: a store in memory, a recording scheduler, a scripted transport. */
public final class Harness {

    public static final Caller ADMIN = new Caller("admin-1", Role.ADMIN);
    public static final Caller ALICE = new Caller("alice", Role.SENDER);
    public static final Caller BOB = new Caller("bob", Role.SENDER);

    public final MutableClock clock = new MutableClock(Instant.parse("2030-01-15T10:00:00Z"));
    public final InMemoryStore store = new InMemoryStore();
    public final RecordingScheduler scheduler = new RecordingScheduler();
    public final ScriptedTransport transport = new ScriptedTransport();
    public final ReversingCipher cipher = new ReversingCipher();
    public final SequentialIds ids = new SequentialIds();
    /** What the dispatch reported to its metrics, run by run. */
    public final List<RunReport> reports = new CopyOnWriteArrayList<>();
    /** Called as each run records its end, before it lets its task go. */
    public volatile Consumer<RunReport> whenRunEnds = report -> { };
    public final RecordingRecurringTriggers recurringTriggers = new RecordingRecurringTriggers();
    public final MessageViews views;
    public final ScheduleService schedule;
    public final MessageLifecycle lifecycle;
    public final RecurringScheduleService recurring;
    public final DispatchService dispatch;
    public final MessageSystemService systems;
    public final SuppressionService suppressions;
    public final ListService lists;
    /** Real tokens, sealed under a key of this harness's own. */
    public final UnsubscribeTokens tokens = new UnsubscribeTokens(new AesGcmKeyring(Map.of("test", randomKey()), "test"));
    public final UnsubscribeLinks links = new UnsubscribeLinks(tokens, "https://herald.example.com");
    public final UnsubscribeService unsubscribe = new UnsubscribeService(store, tokens, clock);

    public Harness() {
        this(SchedulingLimits.defaults().withChunkSize(10));
    }

    public Harness(SchedulingLimits limits) {
        TemplateRenderer renderer = new TemplateRenderer();
        DispatchSettings settings = DispatchSettings.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(2));
        views = new MessageViews(store);
        schedule = new ScheduleService(store, scheduler, views, transport, renderer, limits, clock, ids);
        lifecycle = new MessageLifecycle(store, scheduler, views, limits, clock);
        recurring = new RecurringScheduleService(store, recurringTriggers, schedule, views, Recurrence.Limits.defaults(),
                clock, ids);
        dispatch = new DispatchService(store, cipher, transport, scheduler, renderer, links, settings, clock, ids,
                report -> {
                    reports.add(report);
                    whenRunEnds.accept(report);
                }, clock::advance);
        systems = new MessageSystemService(store, cipher, transport, clock);
        suppressions = new SuppressionService(store, clock);
        lists = new ListService(store, clock, ids, Duration.ofSeconds(5));
        store.insertMessageSystem(Fixtures.outboxSystem("outbox", clock.instant()));
    }

    public static byte[] randomKey() {
        byte[] key = new byte[AesGcmKeyring.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    public static List<RecipientInput> recipients(int count) {
        List<RecipientInput> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new RecipientInput("user" + i + "@example.com", "User " + i, Map.of("n", i)));
        }
        return list;
    }

    public static ScheduleRequest request(int recipients, String sendAt) {
        return new ScheduleRequest("outbox", "Hello {{name}}", "Hi {{name}} #{{n}}", null, recipients(recipients),
                sendAt, sendAt == null ? null : "Europe/Paris", null, null);
    }

    /** Schedules a message one minute ahead and returns the id of its task. */
    public String scheduleInAMinute(int recipients, String delivery) {
        ScheduleRequest base = request(recipients, clock.instant().plusSeconds(60).toString());
        ScheduleRequest request = new ScheduleRequest(base.messageSystem(), base.subject(), base.text(), base.html(),
                base.recipients(), base.sendAt(), base.timeZone(), base.sendBy(), delivery);
        return schedule.schedule(ALICE, request, null, null).view().tasks().get(0).id();
    }

    public DispatchResult fire(String taskId) {
        return dispatch.dispatch(new FireRequest(taskId, Trigger.SCHEDULE, null), Deadline.none());
    }
}
