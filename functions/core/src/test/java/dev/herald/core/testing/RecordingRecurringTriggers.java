package dev.herald.core.testing;

import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.port.RecurringTriggers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Recurring triggers as a map: each schedule's trigger as last armed; a disarmed one is gone. */
public final class RecordingRecurringTriggers implements RecurringTriggers {

    public final Map<String, RecurringSchedule> armed = new ConcurrentHashMap<>();

    @Override
    public void arm(RecurringSchedule schedule) {
        armed.put(schedule.id(), schedule);
    }

    @Override
    public void disarm(String scheduleId) {
        armed.remove(scheduleId);
    }
}
