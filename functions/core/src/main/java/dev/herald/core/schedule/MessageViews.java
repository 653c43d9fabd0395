package dev.herald.core.schedule;

import dev.herald.core.access.Caller;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Page;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Slice;
import dev.herald.core.model.Task;
import dev.herald.core.port.MessageQuery;
import dev.herald.core.port.Store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Messages as callers read them: one with its tasks and runs, pages of them, and their recipients' outcomes. */
public final class MessageViews {

    /** Chunks one page of recipients reads at most: a few thousand recipients. */
    static final int CHUNKS_PER_PAGE = 50;

    private final Store store;

    public MessageViews(Store store) {
        this.store = store;
    }

    /** The message as a listing shows it (no tasks, no runs), if it exists. */
    Optional<MessageView> summary(String messageId) {
        return store.findMessage(messageId).map(this::summaryOf);
    }

    private MessageView summaryOf(Message message) {
        return new MessageView(message, List.of(), List.of(), recordedCounts(message), feedbackOf(message), Map.of());
    }

    public MessageView get(Caller caller, String messageId) {
        owned(caller, messageId);
        return view(messageId);
    }

    /** A page of messages, without their tasks and runs. */
    public Page<MessageView> list(Caller caller, MessageStatus status, int limit, String cursor) {
        Page<Message> page = store.listMessages(new MessageQuery(caller.isAdmin() ? null : caller.id(), status, limit, cursor));
        return new Page<>(page.items().stream().map(this::summaryOf).toList(), page.nextCursor());
    }

    /**
     * A page of the message's recipients with their outcomes, optionally of one state. A page reads at most
     * {@link #CHUNKS_PER_PAGE} chunks: looking for a rare state in a large message, it may hold fewer than
     * {@code limit} recipients and still have a cursor to go on from.
     */
    public Page<RecipientView> recipients(Caller caller, String messageId, RecipientState state, int limit,
                                          String cursor) {
        Message message = owned(caller, messageId);
        RecipientCursor from = RecipientCursor.decode(cursor);
        List<RecipientView> page = new ArrayList<>();
        int chunkStart = from.chunkStart();
        int chunksRead = 0;
        try (Stream<Chunk> chunks = store.streamChunks(message, from.chunkIndex())) {
            for (Chunk chunk : (Iterable<Chunk>) chunks::iterator) {
                if (chunksRead++ == CHUNKS_PER_PAGE) {
                    return new Page<>(page, new RecipientCursor(chunkStart, chunk.index(), chunkStart).encode());
                }
                int position = chunkStart;
                for (Recipient recipient : chunk.recipients()) {
                    if (position >= from.position() && (state == null || recipient.state() == state)) {
                        if (page.size() == limit) {
                            return new Page<>(page, new RecipientCursor(position, chunk.index(), chunkStart).encode());
                        }
                        page.add(new RecipientView(position, recipient));
                    }
                    position++;
                }
                chunkStart = position;
            }
        }
        return new Page<>(page, null);
    }

    /** The message, if the caller may see it; another caller's message does not exist for them. */
    Message owned(Caller caller, String messageId) {
        return store.findMessage(messageId)
                .filter(m -> caller.isAdmin() || m.ownerId().equals(caller.id()))
                .orElseThrow(() -> new NotFoundException("No message " + messageId + "."));
    }

    MessageView view(String messageId) {
        Message message = store.findMessage(messageId).orElseThrow(() -> new NotFoundException("No message " + messageId));
        List<Task> tasks = store.listTasks(messageId).stream()
                .sorted(Comparator.comparing(Task::fireAt).thenComparing(Task::id)).toList();
        return new MessageView(message, tasks, store.listRuns(messageId), recordedCounts(message), feedbackOf(message),
                tasks.stream().allMatch(t -> t.chunks().isAll()) ? Map.of() : countsByTask(message, tasks));
    }

    /** What each task's chunks recorded of their recipients. */
    private Map<String, Counts> countsByTask(Message message, List<Task> tasks) {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (Task task : tasks) {
            try (Stream<Chunk> chunks = store.streamChunks(message, task.chunks())) {
                counts.put(task.id(), chunks.map(Chunk::counts).reduce(Counts.ZERO, Counts::plus));
            }
        }
        return counts;
    }

    /** What the provider reported of the message's mails: nothing before any was sent, so nothing to read. */
    private Counts feedbackOf(Message message) {
        return message.status() == MessageStatus.SCHEDULED ? Counts.ZERO : store.feedbackCounts(message.id());
    }

    /** The counts the runs recorded: the message's, or, while several workers send it, the sum of its slices'. */
    private Counts recordedCounts(Message message) {
        return message.fanOut() == null ? message.counts()
                : store.listSlices(message.id()).stream().map(Slice::counts).reduce(Counts.ZERO, Counts::plus);
    }

    /** Where a page of recipients goes on: the next recipient's position, and its chunk with that chunk's first position. */
    private record RecipientCursor(int position, int chunkIndex, int chunkStart) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(("r" + position + "." + chunkIndex + "."
                    + chunkStart).getBytes(StandardCharsets.UTF_8));
        }

        static RecipientCursor decode(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return new RecipientCursor(0, 0, 0);
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                String[] parts = decoded.startsWith("r") ? decoded.substring(1).split("\\.") : new String[0];
                if (parts.length == 3) {
                    RecipientCursor parsed = new RecipientCursor(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                            Integer.parseInt(parts[2]));
                    if (parsed.chunkIndex >= 0 && parsed.chunkStart >= 0 && parsed.position >= parsed.chunkStart) {
                        return parsed;
                    }
                }
            } catch (IllegalArgumentException e) {
                // falls through to the validation error
            }
            throw ValidationException.of("cursor", "is not a cursor this listing returned");
        }
    }
}
