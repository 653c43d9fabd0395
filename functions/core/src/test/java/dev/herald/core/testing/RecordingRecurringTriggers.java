package dev.herald.core.testing;

import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.port.RecurringTriggers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recurring triggers as a map: each schedule's trigger as last armed; a disarmed one is gone. A test may make the
 * next arming fail, as a scheduler that refuses or is out of reach does.
 */
public final class RecordingRecurringTriggers implements RecurringTriggers {

    public final Map<String, RecurringSchedule> armed = new ConcurrentHashMap<>();
    public volatile RuntimeException failNextArm;

    @Override
    public void arm(RecurringSchedule schedule) {
        RuntimeException failure = failNextArm;
        if (failure != null) {
            failNextArm = null;
            throw failure;
        }
        armed.put(schedule.id(), schedule);
    }

    @Override
    public void disarm(String scheduleId) {
        armed.remove(scheduleId);
    }
}
