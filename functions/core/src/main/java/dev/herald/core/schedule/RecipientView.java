package dev.herald.core.schedule;

import dev.herald.core.model.Recipient;

/** One recipient's outcome with its position in the message. */
public record RecipientView(int index, Recipient recipient) {
}
