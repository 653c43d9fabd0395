package dev.herald.core.dispatch;

/** Another run holds the task now; this one must stop without writing more. */
final class LostClaimException extends RuntimeException {
    LostClaimException(String what) {
        super("lost the claim on " + what, null, false, false);
    }
}
