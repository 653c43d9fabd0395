package dev.herald.core.schedule;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.IdempotencyMismatchException;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Audience;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.IdempotencyRecord;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Page;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecipientState;
import dev.herald.core.model.Slice;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.Ids;
import dev.herald.core.port.MessageQuery;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import dev.herald.core.port.TransportFactory;
import dev.herald.core.render.TemplateRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Schedules messages and manages them until they are sent: the API side of Herald. */
public final class ScheduleService {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);
    private static final String DEFAULT_CATEGORY = "default";
    /** Chunks one page of recipients reads at most: a few thousand recipients. */
    static final int CHUNKS_PER_PAGE = 50;

    private final Store store;
    private final TaskScheduler scheduler;
    private final ScheduleRequestValidator validator;
    private final SendTimeResolver sendTimes;
    private final SchedulingLimits limits;
    private final Clock clock;
    private final Ids ids;

    public ScheduleService(Store store, TaskScheduler scheduler, TransportFactory transports,
                           TemplateRenderer renderer, SchedulingLimits limits, Clock clock, Ids ids) {
        this.store = store;
        this.scheduler = scheduler;
        this.sendTimes = new SendTimeResolver(clock, limits.pastTolerance(), limits.horizon());
        this.validator = new ScheduleRequestValidator(store, transports, renderer, sendTimes, limits);
        this.limits = limits;
        this.clock = clock;
        this.ids = ids;
    }

    /** The answer to a schedule request; {@code replayed} when an idempotency key matched. */
    public record Accepted(MessageView view, boolean replayed) {
    }

    /**
     * Validates, stores the message with its chunks and task, arms the task and answers. With an
     * idempotency key, a repeated request answers the first message and creates nothing; a crash
     * half-way is finished by the repeat, under the same message id.
     *
     * @param requestFingerprint a digest of the request as sent, to tell a repeat from a different request
     */
    public Accepted schedule(Caller caller, ScheduleRequest request, String idempotencyKey, String requestFingerprint) {
        Optional<IdempotencyRecord> earlier = idempotencyKey == null ? Optional.empty()
                : store.findIdempotencyRecord(caller.id(), idempotencyKey);
        if (earlier.isPresent()) {
            Optional<Accepted> replay = replay(earlier.get(), requestFingerprint);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        ValidatedRequest valid = validator.validate(caller, request);
        String messageId = earlier.map(IdempotencyRecord::messageId).orElseGet(ids::newId);
        if (idempotencyKey != null && earlier.isEmpty()) {
            Instant now = clock.instant();
            IdempotencyRecord record = new IdempotencyRecord(caller.id(), idempotencyKey, requestFingerprint,
                    messageId, now, now.plus(limits.idempotencyTtl()));
            if (!store.insertIdempotencyRecord(record)) {
                // A concurrent request with the same key won the race: answer as it did.
                IdempotencyRecord winner = store.findIdempotencyRecord(caller.id(), idempotencyKey).orElseThrow();
                return replay(winner, requestFingerprint)
                        .orElseThrow(() -> new ConflictException("A request with this Idempotency-Key is in progress."));
            }
        }
        Task task = store(caller, valid, messageId);
        arm(task, valid.sendTime().immediate());
        LOG.info("Accepted message {} for {}, task {} fires at {}", messageId, valid.list() == null
                ? valid.request().recipients().size() + " recipients" : "list " + valid.list().id(), task.id(), task.fireAt());
        return new Accepted(view(messageId), false);
    }

    private Optional<Accepted> replay(IdempotencyRecord record, String requestFingerprint) {
        if (!record.requestHash().equals(requestFingerprint)) {
            throw new IdempotencyMismatchException();
        }
        Optional<Message> message = store.findMessage(record.messageId());
        if (message.isEmpty()) {
            return Optional.empty();
        }
        for (Task task : store.listTasks(record.messageId())) {
            if (task.state() == TaskState.PENDING) {
                arm(task, !task.fireAt().isAfter(clock.instant()));
            }
        }
        return Optional.of(new Accepted(view(record.messageId()), true));
    }

    private Task store(Caller caller, ValidatedRequest valid, String messageId) {
        Instant now = clock.instant();
        ScheduleRequest request = valid.request();
        MessageSystem system = valid.system();
        List<Chunk> chunks = new ArrayList<>();
        List<RecipientInput> inputs = request.recipients();
        for (int start = 0, index = 0; start < inputs.size(); start += limits.chunkSize(), index++) {
            List<Recipient> recipients = inputs.subList(start, Math.min(inputs.size(), start + limits.chunkSize()))
                    .stream().map(r -> new Recipient(r.email(), r.name(), r.data(), null)).toList();
            chunks.add(new Chunk(messageId, index, recipients, ChunkState.PENDING, null, now, 0));
        }
        // A list is copied into chunks when the message first fires: until then it has none.
        Audience audience = valid.list() == null ? null : Audience.of(valid.list().id(), limits.chunkSize());
        Message message = new Message(messageId, caller.id(), system.id(), request.subject(), request.text(),
                request.html(), valid.sendTime().instant(), valid.sendTime().timeZone(), valid.sendBy(), valid.delivery(),
                MessageStatus.SCHEDULED, Counts.allPending(inputs.size()), chunks.size(), audience, null, now, now, 0);
        String category = system.scheduling().category() == null ? DEFAULT_CATEGORY : system.scheduling().category();
        Task task = new Task(ids.newId(), messageId, system.id(), category, valid.sendTime().instant(),
                TaskState.PENDING, null, null, now, now, 0);
        store.createMessage(message, chunks, task);
        return task;
    }

    /**
     * Arms the trigger, then records the task as armed. A crash in between leaves it PENDING,
     * which a restart, a reconciler or a repeated request re-arms; a second arm is harmless.
     */
    private void arm(Task task, boolean immediate) {
        if (immediate) {
            scheduler.fireNow(task);
        } else {
            scheduler.arm(task);
        }
        markArmed(task);
    }

    private void markArmed(Task task) {
        Task current = task;
        while (current.state() == TaskState.PENDING) {
            Optional<Task> armed = store.updateTask(current.withState(TaskState.ARMED, null, null, clock.instant()));
            if (armed.isPresent()) {
                return;
            }
            current = store.findTask(task.id()).orElseThrow();
        }
    }

    /** What validating the request would refuse, without storing anything: for a resource that sends messages later. */
    List<FieldError> problemsWith(Caller caller, ScheduleRequest request) {
        try {
            validator.validate(caller, request);
            return List.of();
        } catch (ValidationException e) {
            return e.errors();
        }
    }

    /** The message as a listing shows it (no tasks, no runs), if it exists. */
    Optional<MessageView> summary(String messageId) {
        return store.findMessage(messageId).map(this::summaryOf);
    }

    private MessageView summaryOf(Message message) {
        return new MessageView(message, List.of(), List.of(), recordedCounts(message), feedbackOf(message));
    }

    public MessageView get(Caller caller, String messageId) {
        ownedMessage(caller, messageId);
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
        Message message = ownedMessage(caller, messageId);
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

    /**
     * Moves a message that has not fired yet to a new send time. A new {@code sendBy} replaces the
     * message's; without one, the message keeps its own, which must still be after the new time.
     */
    public MessageView reschedule(Caller caller, String messageId, String sendAt, String timeZone, String sendBy) {
        Message message = ownedMessage(caller, messageId);
        List<FieldError> errors = new ArrayList<>();
        Optional<SendTime> resolved = sendTimes.resolve(sendAt, timeZone, errors);
        Instant newSendBy = sendTimes.resolveSendBy(sendBy, timeZone, resolved.orElse(null), errors)
                .orElse(sendBy == null ? message.sendBy() : null);
        if (errors.isEmpty() && sendBy == null && newSendBy != null && !newSendBy.isAfter(resolved.orElseThrow().instant())) {
            errors.add(new FieldError("sendAt", "must be before the message's sendBy (" + newSendBy
                    + "); give a later sendBy too"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        SendTime sendTime = resolved.orElseThrow();
        if (message.status() != MessageStatus.SCHEDULED) {
            throw new ConflictException("Message " + messageId + " is " + message.status()
                    + "; only a message that has not started sending can be rescheduled.");
        }
        if (!sendTime.immediate()) {
            MessageSystem system = store.findMessageSystem(message.messageSystemId())
                    .orElseThrow(() -> new ConflictException("The message's message system no longer exists."));
            if (!system.scheduling().enabled()) {
                throw ValidationException.of("sendAt", "message system '" + system.id()
                        + "' does not allow scheduled sends; omit sendAt to send now");
            }
        }
        Task task = store.listTasks(messageId).stream().filter(t -> !t.state().isFinal()).findFirst()
                .orElseThrow(() -> new ConflictException("Message " + messageId + " has no task left to reschedule."));
        Task moved = moveTask(task, sendTime.instant());
        updateMessage(messageId, m -> m.status() == MessageStatus.SCHEDULED
                ? Optional.of(m.withSendTime(sendTime.instant(), sendTime.timeZone(), newSendBy, clock.instant()))
                : Optional.empty());
        if (sendTime.immediate()) {
            scheduler.fireNow(moved);
        } else {
            scheduler.rearm(moved);
        }
        markArmed(moved);
        LOG.info("Rescheduled message {}: task {} now fires at {}", messageId, moved.id(), moved.fireAt());
        return view(messageId);
    }

    private Task moveTask(Task task, Instant fireAt) {
        Task current = task;
        while (true) {
            if (current.state() != TaskState.PENDING && current.state() != TaskState.ARMED) {
                throw new ConflictException("Message " + task.messageId() + " has already fired; it cannot be rescheduled.");
            }
            Optional<Task> moved = store.updateTask(current.withFireAt(fireAt, TaskState.PENDING, clock.instant()));
            if (moved.isPresent()) {
                return moved.get();
            }
            current = store.findTask(task.id()).orElseThrow();
        }
    }

    /**
     * Cancels a message before or while it is sent. A scheduled task is disarmed and every recipient
     * recorded {@code CANCELLED} at once; a running send stops at its next chunk (the chunk in flight
     * goes out) and records the rest {@code CANCELLED} itself. Cancelling a cancelled message again
     * answers it as it is; a message that finished sending cannot be cancelled.
     */
    public MessageView cancel(Caller caller, String messageId) {
        Message message = ownedMessage(caller, messageId);
        if (message.status() == MessageStatus.CANCELLED) {
            return view(messageId);
        }
        updateMessage(messageId, m -> {
            if (m.status() == MessageStatus.CANCELLED) {
                return Optional.empty();
            }
            if (m.status().isFinal()) {
                throw new ConflictException("Message " + messageId + " is already " + m.status() + ".");
            }
            return Optional.of(m.withStatus(MessageStatus.CANCELLED, clock.instant()));
        });
        if (message.fanOut() != null) {
            // Its workers stop at their next chunk; the task's run ends every slice no worker holds (a paused task is
            // armed again for it).
            for (Task task : store.listTasks(messageId)) {
                Optional<Task> armed = task.state() == TaskState.PAUSED
                        ? store.updateTask(task.withState(TaskState.ARMED, null, null, clock.instant()))
                        : Optional.of(task).filter(t -> t.state() == TaskState.ARMED);
                armed.ifPresent(scheduler::fireNow);
            }
            LOG.info("Cancelled message {}, sent by several workers", messageId);
            return view(messageId);
        }
        for (Task task : store.listTasks(messageId)) {
            disarm(task, EnumSet.of(TaskState.PENDING, TaskState.ARMED, TaskState.PAUSED), TaskState.CANCELLED);
        }
        if (store.listTasks(messageId).stream().noneMatch(t -> t.state() == TaskState.RUNNING)) {
            // No run holds the message, and none can claim a cancelled task: its recipients are ours to record.
            cancelRecipients(messageId);
        }
        LOG.info("Cancelled message {}", messageId);
        return view(messageId);
    }

    /**
     * Pauses a message before or while it is sent. A task not fired yet is disarmed at once; a running send
     * stops at its next chunk, as for a cancel, saves every outcome it has, and leaves its task paused. Nothing
     * is lost and no recipient is sent twice: a resume sends only recipients without an outcome. Pausing a
     * paused message answers it as it is. A message sent by several workers at once pauses the same way: each
     * stops at its next chunk and lets its slice go, and the resume starts them again.
     */
    public MessageView pause(Caller caller, String messageId) {
        Message message = ownedMessage(caller, messageId);
        if (message.status() == MessageStatus.PAUSED) {
            return view(messageId);
        }
        updateMessage(messageId, m -> {
            if (m.status() == MessageStatus.PAUSED) {
                return Optional.empty();
            }
            if (m.status().isFinal()) {
                throw new ConflictException("Message " + messageId + " is already " + m.status() + ".");
            }
            return Optional.of(m.withStatus(MessageStatus.PAUSED, clock.instant()));
        });
        for (Task task : store.listTasks(messageId)) {
            disarm(task, EnumSet.of(TaskState.PENDING, TaskState.ARMED), TaskState.PAUSED);
        }
        LOG.info("Paused message {}", messageId);
        return view(messageId);
    }

    /**
     * Resumes a paused message: at {@code sendAt} when one is given; otherwise at its own time, or at once
     * when that has passed. A task still running (it had not reached its next chunk) is left to its run,
     * which carries on, or fires itself again once it sees the message resumed.
     */
    public MessageView resume(Caller caller, String messageId, String sendAt, String timeZone) {
        Message message = ownedMessage(caller, messageId);
        List<FieldError> errors = new ArrayList<>();
        if (sendAt == null && timeZone != null) {
            errors.add(new FieldError("timeZone", "is only for a sendAt; omit both to resume at the message's own time"));
        }
        Optional<SendTime> given = sendAt == null ? Optional.empty() : sendTimes.resolve(sendAt, timeZone, errors);
        if (errors.isEmpty() && given.isPresent() && message.sendBy() != null
                && !message.sendBy().isAfter(given.get().instant())) {
            errors.add(new FieldError("sendAt", "must be before the message's sendBy (" + message.sendBy() + ")"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        boolean started = !store.listRuns(messageId).isEmpty();
        updateMessage(messageId, m -> {
            if (m.status() != MessageStatus.PAUSED) {
                throw new ConflictException("Message " + messageId + " is " + m.status() + "; only a paused message can be resumed.");
            }
            Message resumed = m.withStatus(started ? MessageStatus.SENDING : MessageStatus.SCHEDULED, clock.instant());
            return Optional.of(given.isPresent() && !started
                    ? resumed.withSendTime(given.get().instant(), given.get().timeZone(), m.sendBy(), clock.instant())
                    : resumed);
        });
        Instant now = clock.instant();
        for (Task task : store.listTasks(messageId)) {
            if (task.state() != TaskState.PAUSED) {
                continue;
            }
            Instant fireAt = given.map(SendTime::instant).orElse(task.fireAt().isAfter(now) ? task.fireAt() : now);
            Optional<Task> woken = store.updateTask(task.withFireAt(fireAt, TaskState.PENDING, now));
            if (woken.isEmpty()) {
                continue; // its run woke it, having seen the message resumed
            }
            if (fireAt.isAfter(now)) {
                scheduler.rearm(woken.get());
            } else {
                scheduler.fireNow(woken.get());
            }
            markArmed(woken.get());
        }
        LOG.info("Resumed message {}", messageId);
        return view(messageId);
    }

    private void cancelRecipients(String messageId) {
        Instant now = clock.instant();
        Message message = store.findMessage(messageId).orElseThrow();
        Counts counts = Counts.ZERO;
        try (Stream<Chunk> chunks = store.streamChunks(message)) {
            for (Chunk chunk : (Iterable<Chunk>) chunks::iterator) {
                Chunk ended = chunk;
                if (chunk.state() == ChunkState.PENDING) {
                    ended = store.updateChunk(chunk.with(chunk.recipients().stream()
                            .map(r -> r.isPending() ? r.withOutcome(Outcome.cancelled(now)) : r).toList(),
                            ChunkState.DONE, null, now)).orElse(chunk);
                }
                counts = counts.plus(ended.counts());
            }
        }
        Counts total = counts;
        updateMessage(messageId, m -> Optional.of(m.withCounts(total, clock.instant())));
    }

    /** Moves the task, while it is in one of {@code from}, to {@code to} and disarms its trigger. */
    private void disarm(Task task, Set<TaskState> from, TaskState to) {
        Task current = task;
        while (from.contains(current.state())) {
            Optional<Task> moved = store.updateTask(current.withState(to, null, null, clock.instant()));
            if (moved.isPresent()) {
                scheduler.disarm(moved.get());
                return;
            }
            current = store.findTask(task.id()).orElseThrow();
        }
    }

    private void updateMessage(String messageId, java.util.function.Function<Message, Optional<Message>> change) {
        while (true) {
            Message current = store.findMessage(messageId).orElseThrow(() -> new NotFoundException("No message " + messageId));
            Optional<Message> changed = change.apply(current);
            if (changed.isEmpty() || store.updateMessage(changed.get()).isPresent()) {
                return;
            }
        }
    }

    /** The message, if the caller may see it; another caller's message does not exist for them. */
    private Message ownedMessage(Caller caller, String messageId) {
        return store.findMessage(messageId)
                .filter(m -> caller.isAdmin() || m.ownerId().equals(caller.id()))
                .orElseThrow(() -> new NotFoundException("No message " + messageId + "."));
    }

    private MessageView view(String messageId) {
        Message message = store.findMessage(messageId).orElseThrow(() -> new NotFoundException("No message " + messageId));
        return new MessageView(message, store.listTasks(messageId), store.listRuns(messageId), recordedCounts(message),
                feedbackOf(message));
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
