package dev.herald.core.schedule;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.port.Store;
import dev.herald.core.port.TaskScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What happens to a message after it is scheduled and before it is sent: a new send time, a cancel, a pause and
 * its resume, each moving the message's tasks and their triggers together.
 */
public final class MessageLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(MessageLifecycle.class);

    private final Store store;
    private final TaskScheduler scheduler;
    private final TaskTriggers triggers;
    private final MessageViews views;
    private final SendTimeResolver sendTimes;
    private final Clock clock;

    public MessageLifecycle(Store store, TaskScheduler scheduler, MessageViews views, SchedulingLimits limits, Clock clock) {
        this.store = store;
        this.scheduler = scheduler;
        this.triggers = new TaskTriggers(store, scheduler, clock);
        this.views = views;
        this.sendTimes = new SendTimeResolver(clock, limits.pastTolerance(), limits.horizon());
        this.clock = clock;
    }

    /**
     * Moves a message that has not fired yet to a new send time. A new {@code sendBy} replaces the
     * message's; without one, the message keeps its own, which must still be after the new time.
     */
    public MessageView reschedule(Caller caller, String messageId, String sendAt, String timeZone, String sendBy) {
        Message message = views.owned(caller, messageId);
        if (message.localSendAt() != null) {
            return rescheduleLocal(message, sendAt, timeZone, sendBy);
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<SendTime> resolved = sendTimes.resolve(sendAt, timeZone, errors);
        Instant newSendBy = newSendBy(message, sendBy, timeZone, resolved, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        SendTime sendTime = resolved.orElseThrow();
        checkReschedulable(message, sendTime.immediate());
        Task task = store.listTasks(messageId).stream().filter(t -> !t.state().isFinal()).findFirst()
                .orElseThrow(() -> new ConflictException("Message " + messageId + " has no task left to reschedule."));
        Task moved = moveTask(task, sendTime.instant());
        updateMessage(messageId, m -> m.status() == MessageStatus.SCHEDULED
                ? Optional.of(m.withSendTime(sendTime.instant(), sendTime.timeZone(), newSendBy, clock.instant()))
                : Optional.empty());
        rearm(moved);
        LOG.info("Rescheduled message {}: task {} now fires at {}", messageId, moved.id(), moved.fireAt());
        return views.view(messageId);
    }

    /**
     * Moves a local-time message to a new local date-time: each task to the instant its zones have then (now, where
     * that has passed). Its recipients keep their tasks, so zones that share a task must still share an instant: a
     * date on which they do not (one has changed its clocks, the other not) is refused; cancel and schedule again.
     */
    private MessageView rescheduleLocal(Message message, String sendAt, String timeZone, String sendBy) {
        List<FieldError> errors = new ArrayList<>();
        if (timeZone != null && !timeZone.equals(message.timeZone())) {
            errors.add(new FieldError("timeZone", "a local-time message keeps its zone (" + message.timeZone()
                    + "); leave timeZone out"));
        }
        Optional<LocalDateTime> local = sendTimes.resolveLocal(sendAt, message.timeZone(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        List<Task> tasks = store.listTasks(message.id()).stream().filter(t -> !t.state().isFinal()).toList();
        Map<Task, Instant> instants = new LinkedHashMap<>();
        for (Task task : tasks) {
            Set<Instant> ofZones = task.timeZones().stream()
                    .map(zone -> LocalTimeGroups.instantIn(local.orElseThrow(), ZoneId.of(zone))).collect(Collectors.toSet());
            if (ofZones.size() > 1) {
                throw new ConflictException("At " + sendAt + " the zones " + String.join(", ", task.timeZones())
                        + " no longer share one instant; cancel the message and schedule it again.");
            }
            instants.put(task, ofZones.iterator().next());
        }
        Instant latest = instants.values().stream().max(Comparator.naturalOrder())
                .orElseThrow(() -> new ConflictException("Message " + message.id() + " has no task left to reschedule."));
        sendTimes.checkLatestLocal(latest, errors);
        Instant newSendBy = newSendBy(message, sendBy, message.timeZone(),
                Optional.of(sendTimes.sendTimeOf(latest, message.timeZone())), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Instant now = clock.instant();
        checkReschedulable(message, !latest.isAfter(now));
        List<Task> moved = new ArrayList<>();
        instants.forEach((task, instant) -> moved.add(moveTask(task, instant.isAfter(now) ? instant : now)));
        Instant earliest = moved.stream().map(Task::fireAt).min(Comparator.naturalOrder()).orElseThrow();
        updateMessage(message.id(), m -> m.status() == MessageStatus.SCHEDULED
                ? Optional.of(m.withLocalSendTime(earliest, local.orElseThrow(), newSendBy, clock.instant()))
                : Optional.empty());
        moved.forEach(this::rearm);
        LOG.info("Rescheduled local-time message {}: {} tasks, the first now fires at {}", message.id(), moved.size(),
                earliest);
        return views.view(message.id());
    }

    /** A new {@code sendBy} replaces the message's; without one, the message's own must still come after the new time. */
    private Instant newSendBy(Message message, String sendBy, String timeZone, Optional<SendTime> resolved,
                              List<FieldError> errors) {
        Instant newSendBy = sendTimes.resolveSendBy(sendBy, timeZone, resolved.orElse(null), errors)
                .orElse(sendBy == null ? message.sendBy() : null);
        if (errors.isEmpty() && sendBy == null && newSendBy != null && !newSendBy.isAfter(resolved.orElseThrow().instant())) {
            errors.add(new FieldError("sendAt", "must be before the message's sendBy (" + newSendBy
                    + "); give a later sendBy too"));
        }
        return newSendBy;
    }

    /** Only a message that has not started sending moves; to a later time only when its system allows scheduled sends. */
    private void checkReschedulable(Message message, boolean immediate) {
        if (message.status() != MessageStatus.SCHEDULED) {
            throw new ConflictException("Message " + message.id() + " is " + message.status()
                    + "; only a message that has not started sending can be rescheduled.");
        }
        if (!immediate) {
            MessageSystem system = store.findMessageSystem(message.messageSystemId())
                    .orElseThrow(() -> new ConflictException("The message's message system no longer exists."));
            if (!system.scheduling().enabled()) {
                throw ValidationException.of("sendAt", "message system '" + system.id()
                        + "' does not allow scheduled sends; omit sendAt to send now");
            }
        }
    }

    private void rearm(Task moved) {
        if (moved.fireAt().isAfter(clock.instant())) {
            scheduler.rearm(moved);
        } else {
            scheduler.fireNow(moved);
        }
        triggers.markArmed(moved);
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
        Message message = views.owned(caller, messageId);
        if (message.status() == MessageStatus.CANCELLED) {
            return views.view(messageId);
        }
        stopAs(messageId, MessageStatus.CANCELLED);
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
            return views.view(messageId);
        }
        List<Task> cancelled = new ArrayList<>();
        for (Task task : store.listTasks(messageId)) {
            triggers.disarm(task, EnumSet.of(TaskState.PENDING, TaskState.ARMED, TaskState.PAUSED), TaskState.CANCELLED)
                    .ifPresent(cancelled::add);
        }
        // No run can claim a cancelled task: the recipients of these are ours to record (a running task's are its run's).
        cancelRecipients(messageId, cancelled);
        LOG.info("Cancelled message {}", messageId);
        return views.view(messageId);
    }

    /**
     * Pauses a message before or while it is sent. A task not fired yet is disarmed at once; a running send
     * stops at its next chunk, as for a cancel, saves every outcome it has, and leaves its task paused. Nothing
     * is lost and no recipient is sent twice: a resume sends only recipients without an outcome. Pausing a
     * paused message answers it as it is. A message sent by several workers at once pauses the same way: each
     * stops at its next chunk and lets its slice go, and the resume starts them again.
     */
    public MessageView pause(Caller caller, String messageId) {
        Message message = views.owned(caller, messageId);
        if (message.status() == MessageStatus.PAUSED) {
            return views.view(messageId);
        }
        stopAs(messageId, MessageStatus.PAUSED);
        for (Task task : store.listTasks(messageId)) {
            triggers.disarm(task, EnumSet.of(TaskState.PENDING, TaskState.ARMED), TaskState.PAUSED);
        }
        LOG.info("Paused message {}", messageId);
        return views.view(messageId);
    }

    /**
     * Resumes a paused message: at {@code sendAt} when one is given; otherwise at its own time, or at once
     * when that has passed. A task still running (it had not reached its next chunk) is left to its run,
     * which carries on, or fires itself again once it sees the message resumed.
     */
    public MessageView resume(Caller caller, String messageId, String sendAt, String timeZone) {
        Message message = views.owned(caller, messageId);
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
            triggers.markArmed(woken.get());
        }
        LOG.info("Resumed message {}", messageId);
        return views.view(messageId);
    }

    /** Records every recipient of the tasks' chunks not sent yet {@code CANCELLED}, and adds them to the message's counts. */
    private void cancelRecipients(String messageId, List<Task> tasks) {
        Instant now = clock.instant();
        Message message = store.findMessage(messageId).orElseThrow();
        Counts change = Counts.ZERO;
        for (Task task : tasks) {
            try (Stream<Chunk> chunks = store.streamChunks(message, task.chunks())) {
                for (Chunk chunk : (Iterable<Chunk>) chunks::iterator) {
                    if (chunk.state() == ChunkState.PENDING) {
                        Optional<Chunk> ended = store.updateChunk(chunk.with(chunk.recipients().stream()
                                .map(r -> r.isPending() ? r.withOutcome(Outcome.cancelled(now)) : r).toList(),
                                ChunkState.DONE, null, now));
                        if (ended.isPresent()) {
                            change = change.plus(ended.get().counts().minus(chunk.counts()));
                        }
                    }
                }
            }
        }
        if (!change.equals(Counts.ZERO)) {
            Counts cancelledNow = change;
            updateMessage(messageId, m -> Optional.of(m.withCounts(m.counts().plus(cancelledNow), clock.instant())));
        }
    }

    /** Moves the message to {@code status} (cancelled or paused), unless it is so already; a finished one is a conflict. */
    private void stopAs(String messageId, MessageStatus status) {
        updateMessage(messageId, m -> {
            if (m.status() == status) {
                return Optional.empty();
            }
            if (m.status().isFinal()) {
                throw new ConflictException("Message " + messageId + " is already " + m.status() + ".");
            }
            return Optional.of(m.withStatus(status, clock.instant()));
        });
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

}
