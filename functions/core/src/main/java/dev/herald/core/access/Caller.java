package dev.herald.core.access;

import dev.herald.core.error.ForbiddenException;

/** The authenticated principal of a request. */
public record Caller(String id, Role role) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw new ForbiddenException("This operation needs the admin role.");
        }
    }
}
