package dev.herald.core.model;

public enum ListState {
    ACTIVE,
    /** Its members are being removed: it takes no more members and no message can name it. */
    DELETING
}
