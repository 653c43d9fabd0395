package dev.herald.core.port;

import dev.herald.core.model.RecurringSchedule;

/**
 * Keeps one recurring trigger per recurring schedule, which fires each occurrence of its rule with the
 * schedule's id and the occurrence's instant. Every operation is idempotent.
 */
public interface RecurringTriggers {

    /** Creates the schedule's trigger, or replaces it with the schedule's rule and state as given: a paused one fires nothing. */
    void arm(RecurringSchedule schedule);

    /** Removes the schedule's trigger; one that is gone already is fine. */
    void disarm(String scheduleId);
}
