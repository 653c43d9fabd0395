package dev.herald.local;

import dev.herald.core.access.TokenService;
import dev.herald.core.audience.ListService;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.schedule.RecurringScheduleService;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.embedded.EmbeddedRecurringTriggers;
import dev.herald.embedded.EmbeddedScheduler;
import dev.herald.embedded.SqliteStore;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once the port is bound (and only then, so that a start that fails leaves nothing behind): the
 * data folder opens, the bootstrap admin token and the {@code outbox} message system are made, the
 * scheduler re-arms what the store holds, list deletions a stop cut off go on, and Herald says it is ready. Stop: running sends
 * checkpoint, then the database closes.
 */
@Singleton
class LocalLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LocalLifecycle.class);

    private final LocalConfiguration configuration;
    private final TokenService tokens;
    private final MessageSystemService messageSystems;
    private final EmbeddedScheduler scheduler;
    private final DispatchService dispatch;
    private final SqliteStore store;
    private final ListService lists;
    private final EmbeddedRecurringTriggers recurringTriggers;
    private final RecurringScheduleService recurringSchedules;

    LocalLifecycle(LocalConfiguration configuration, TokenService tokens, MessageSystemService messageSystems,
                   EmbeddedScheduler scheduler, DispatchService dispatch, SqliteStore store, ListService lists,
                   EmbeddedRecurringTriggers recurringTriggers, RecurringScheduleService recurringSchedules) {
        this.configuration = configuration;
        this.tokens = tokens;
        this.messageSystems = messageSystems;
        this.scheduler = scheduler;
        this.dispatch = dispatch;
        this.store = store;
        this.lists = lists;
        this.recurringTriggers = recurringTriggers;
        this.recurringSchedules = recurringSchedules;
    }

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        tokens.bootstrap(configuration.getAdminToken()).ifPresent(token -> System.out.println(
                "\nHerald generated an admin token; it is shown this once, keep it:\n\n    " + token + "\n"));
        messageSystems.createIfAbsent(new MessageSystemSpec("outbox", "Local outbox", true, "outbox",
                "herald@localhost.localdomain", "Herald", null, 1000.0, null, null,
                new MessageSystemSpec.SchedulingSpec(true, "default", null), null));
        scheduler.start(dispatch::fire);
        recurringTriggers.start(recurringSchedules::occur);
        // A deletion a stop cut off goes on; locally a delete request usually finishes it at once.
        lists.continueDeletions();
        LOG.info("Herald is ready on {}; data in {}", event.getSource().getURL(), configuration.getDataDir().toAbsolutePath().normalize());
    }

    @PreDestroy
    void stop() {
        recurringTriggers.close();
        scheduler.close();
        store.close();
        LOG.info("Herald local runtime stopped cleanly");
    }
}
