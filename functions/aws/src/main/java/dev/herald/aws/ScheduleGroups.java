package dev.herald.aws;

import dev.herald.core.error.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.ConflictException;
import software.amazon.awssdk.services.scheduler.model.ResourceNotFoundException;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Herald's schedule groups, each created before its first schedule: looked up once per instance, not at every schedule. */
final class ScheduleGroups {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleGroups.class);

    private final SchedulerClient scheduler;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();

    ScheduleGroups(SchedulerClient scheduler) {
        this.scheduler = scheduler;
    }

    /** Runs {@code create} in {@code group}, which is made first if need be, and again if it was deleted since. */
    void inGroup(String group, Runnable create) {
        ensure(group);
        try {
            create.run();
        } catch (ResourceNotFoundException groupGone) {
            existing.remove(group);
            ensure(group);
            create.run();
        }
    }

    private void ensure(String group) {
        if (existing.contains(group)) {
            return;
        }
        try {
            scheduler.getScheduleGroup(r -> r.name(group));
        } catch (ResourceNotFoundException missing) {
            createGroup(group);
        } catch (SdkException e) {
            throw new SchedulerException("Cannot read schedule group " + group + ": " + e.getMessage(), e);
        }
        existing.add(group);
    }

    private void createGroup(String group) {
        try {
            scheduler.createScheduleGroup(r -> r.name(group));
            LOG.info("Created schedule group {}", group);
        } catch (ConflictException createdMeanwhile) {
            LOG.info("Schedule group {} exists already", group);
        } catch (SdkException e) {
            throw new SchedulerException("Cannot create schedule group " + group + ": " + e.getMessage(), e);
        }
    }
}
