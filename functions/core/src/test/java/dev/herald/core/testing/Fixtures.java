package dev.herald.core.testing;

import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.Scheduling;
import dev.herald.core.model.SmtpSecurity;
import dev.herald.core.model.SmtpSettings;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.model.TransportKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders of valid domain values for tests. */
public final class Fixtures {

    private Fixtures() {
    }

    public static MessageSystem outboxSystem(String id, Instant now) {
        return new MessageSystem(id, "Outbox " + id, true, TransportKind.OUTBOX,
                new Mailbox("news@example.com", "Example News"), null, 1000.0, null, null,
                new Scheduling(true, "default", null), null, null, now, now, 0);
    }

    public static MessageSystem smtpSystem(String id, Instant now) {
        return new MessageSystem(id, "SMTP " + id, true, TransportKind.SMTP,
                new Mailbox("news@example.com", null), "replies@example.com", 50.0,
                new SmtpSettings("localhost", 2525, SmtpSecurity.NONE), null,
                new Scheduling(true, "newsletters", null), null, null, now, now, 0);
    }

    /** A message with its chunks and task, ready for {@code Store.createMessage}. */
    public record StoredMessage(Message message, List<Chunk> chunks, Task task) {
    }

    public static StoredMessage message(String id, String ownerId, String systemId, int recipients, int chunkSize,
                                        Instant createdAt, Instant fireAt, DeliveryGuarantee delivery) {
        List<Chunk> chunks = new ArrayList<>();
        for (int start = 0, index = 0; start < recipients; start += chunkSize, index++) {
            List<Recipient> slice = new ArrayList<>();
            for (int i = start; i < Math.min(recipients, start + chunkSize); i++) {
                slice.add(new Recipient("user" + i + "@example.com", "User " + i, Map.of("n", i), null));
            }
            chunks.add(new Chunk(id, index, slice, ChunkState.PENDING, null, createdAt, 0));
        }
        Message message = new Message(id, ownerId, systemId, "Hello {{name}}", "Hi {{name}}, n={{n}}",
                "<p>Hi {{name}}</p>", fireAt, "Europe/Paris", null, null, delivery, null, null, MessageStatus.SCHEDULED,
                Counts.allPending(recipients), chunks.size(), null, null, null, createdAt, createdAt, 0);
        Task task = new Task("task-" + id, id, systemId, "default", fireAt, ChunkRange.ALL, List.of(), TaskState.ARMED, null, null,
                createdAt, createdAt, 0);
        return new StoredMessage(message, chunks, task);
    }
}
