package dev.herald.core.model;

public enum RecurringScheduleState {
    /** Its trigger is armed: each occurrence creates a message. */
    ACTIVE,
    /** Its trigger is disarmed until a resume. */
    PAUSED
}
