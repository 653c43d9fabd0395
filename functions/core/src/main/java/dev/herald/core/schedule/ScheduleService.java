package dev.herald.core.schedule;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.IdempotencyMismatchException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Audience;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkRange;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.IdempotencyRecord;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.RecurringOrigin;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.Ids;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import dev.herald.core.port.TransportFactory;
import dev.herald.core.render.TemplateRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Schedules messages: validates a request, stores the message with its chunks and task, and arms its trigger. */
public final class ScheduleService {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleService.class);
    private static final String DEFAULT_CATEGORY = "default";

    private final Store store;
    private final TaskTriggers triggers;
    private final MessageViews views;
    private final ScheduleRequestValidator validator;
    private final SchedulingLimits limits;
    private final Clock clock;
    private final Ids ids;

    public ScheduleService(Store store, TaskScheduler scheduler, MessageViews views, TransportFactory transports,
                           TemplateRenderer renderer, SchedulingLimits limits, Clock clock, Ids ids) {
        this.store = store;
        this.triggers = new TaskTriggers(store, scheduler, clock);
        this.views = views;
        this.validator = new ScheduleRequestValidator(store, transports, renderer,
                new SendTimeResolver(clock, limits.pastTolerance(), limits.horizon()), limits);
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
        return accept(caller, request, idempotencyKey, requestFingerprint, null);
    }

    /**
     * Schedules the message of one occurrence of a recurring schedule, keyed by the schedule and the occurrence: a
     * second call for the same occurrence answers the first message and creates nothing.
     */
    Accepted scheduleOccurrence(Caller owner, ScheduleRequest request, RecurringOrigin origin) {
        String key = "schedule:" + origin.scheduleId() + ":" + origin.occurrence();
        return accept(owner, request, key, key, origin);
    }

    private Accepted accept(Caller caller, ScheduleRequest request, String idempotencyKey, String requestFingerprint,
                            RecurringOrigin origin) {
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
        List<Task> tasks = store(caller, valid, messageId, origin);
        tasks.forEach(task -> triggers.arm(task, !task.fireAt().isAfter(clock.instant())));
        LOG.info("Accepted message {} for {}, {} task(s), the first fires at {}", messageId, valid.list() == null
                ? valid.request().recipients().size() + " recipients" : "list " + valid.list().id(), tasks.size(),
                tasks.get(0).fireAt());
        return new Accepted(views.view(messageId), false);
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
                triggers.arm(task, !task.fireAt().isAfter(clock.instant()));
            }
        }
        return Optional.of(new Accepted(views.view(record.messageId()), true));
    }

    /**
     * Stores the message with its chunks and tasks: one task for all its recipients, or one per group of a local-time
     * message, each sending the chunks its group's recipients were cut into.
     */
    private List<Task> store(Caller caller, ValidatedRequest valid, String messageId, RecurringOrigin origin) {
        Instant now = clock.instant();
        ScheduleRequest request = valid.request();
        MessageSystem system = valid.system();
        String category = system.scheduling().category() == null ? DEFAULT_CATEGORY : system.scheduling().category();
        List<Chunk> chunks = new ArrayList<>();
        List<Task> tasks = new ArrayList<>();
        Audience audience;
        int recipients;
        if (valid.localGroups().isEmpty()) {
            addChunks(messageId, request.recipients(), chunks, now);
            tasks.add(new Task(ids.newId(), messageId, system.id(), category, valid.sendTime().instant(), ChunkRange.ALL,
                    List.of(), TaskState.PENDING, null, null, now, now, 0));
            // A list is copied into chunks when the message first fires: until then it has none.
            audience = valid.list() == null ? null : Audience.of(valid.list().id(), limits.chunkSize());
            recipients = request.recipients().size();
        } else {
            for (LocalTimeGroups.Group group : valid.localGroups()) {
                int from = chunks.size();
                addChunks(messageId, group.recipients(), chunks, now);
                tasks.add(new Task(ids.newId(), messageId, system.id(), category, group.instant(),
                        new ChunkRange(from, chunks.size()), group.timeZones(), TaskState.PENDING, null, null, now, now, 0));
            }
            // A local-time message's list was read whole when it was scheduled.
            audience = valid.list() == null ? null : Audience.of(valid.list().id(), limits.chunkSize()).copiedThrough(null, true);
            recipients = valid.localGroups().stream().mapToInt(g -> g.recipients().size()).sum();
        }
        Message message = new Message(messageId, caller.id(), system.id(), request.subject(), request.text(),
                request.html(), valid.sendTime().instant(), valid.sendTime().timeZone(), valid.localSendAt(), valid.sendBy(),
                valid.delivery(), valid.sendWindows(), valid.dailyCap(), MessageStatus.SCHEDULED,
                Counts.allPending(recipients), chunks.size(), audience, null, origin, now, now, 0);
        store.createMessage(message, chunks, tasks);
        return tasks;
    }

    /** Cuts the recipients into chunks, numbered on from the ones already in {@code chunks}. */
    private void addChunks(String messageId, List<RecipientInput> inputs, List<Chunk> chunks, Instant now) {
        for (int start = 0; start < inputs.size(); start += limits.chunkSize()) {
            List<Recipient> recipients = inputs.subList(start, Math.min(inputs.size(), start + limits.chunkSize()))
                    .stream().map(r -> new Recipient(r.email(), r.name(), r.data(), null)).toList();
            chunks.add(new Chunk(messageId, chunks.size(), recipients, ChunkState.PENDING, null, now, 0));
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

}
