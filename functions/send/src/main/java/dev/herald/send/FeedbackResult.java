package dev.herald.send;

import io.micronaut.serde.annotation.Serdeable;

/** What became of an event: APPLIED, DUPLICATE, UNKNOWN (not Herald's mail) or NOT_A_REPORT (a send, an open). */
@Serdeable
public record FeedbackResult(String recorded) {
}
