package dev.herald.core.model;

public enum RecipientState {
    PENDING, SENT, FAILED, UNKNOWN
}
