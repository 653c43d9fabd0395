package dev.herald.core.dispatch;

import dev.herald.core.model.Message;
import dev.herald.core.port.Store;

import java.util.Optional;
import java.util.function.UnaryOperator;

/** A change to a message as it is stored now, read again and applied again when another writer came first. */
final class MessageUpdates {

    private MessageUpdates() {
    }

    static Message apply(Store store, String messageId, UnaryOperator<Message> change) {
        while (true) {
            Message current = store.findMessage(messageId).orElseThrow();
            Optional<Message> updated = store.updateMessage(change.apply(current));
            if (updated.isPresent()) {
                return updated.get();
            }
        }
    }
}
