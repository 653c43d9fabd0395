package dev.herald.web;

import java.util.function.BooleanSupplier;

/**
 * A part of the runtime that the health check reports (the local runtime's database and scheduler).
 * The check must be cheap: it runs on every {@code GET /v1/health}.
 */
public record ComponentHealth(String name, BooleanSupplier check) {

    boolean isUp() {
        try {
            return check.getAsBoolean();
        } catch (RuntimeException failed) {
            return false;
        }
    }
}
