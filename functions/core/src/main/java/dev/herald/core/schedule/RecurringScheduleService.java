package dev.herald.core.schedule;

import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Page;
import dev.herald.core.model.RecurringOrigin;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.model.RecurringScheduleState;
import dev.herald.core.model.ScheduleOccurrence;
import dev.herald.core.port.Ids;
import dev.herald.core.port.RecurringTriggers;
import dev.herald.core.port.Store;
import dev.herald.core.rules.TextRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Recurring schedules: what they send, when, and what each occurrence made of them. An occurrence becomes a
 * message like any other (scheduled through {@link ScheduleService}, to its list as the list is then), so it keeps
 * every guarantee of one; an occurrence fired twice creates one message.
 */
public final class RecurringScheduleService {

    private static final Logger LOG = LoggerFactory.getLogger(RecurringScheduleService.class);
    /** How many occurrences a schedule's view shows ahead. */
    static final int NEXT_SHOWN = 5;
    private static final int MAX_NAME = 200;

    private final Store store;
    private final RecurringTriggers triggers;
    private final ScheduleService messages;
    private final MessageViews views;
    private final Recurrence.Limits limits;
    private final Clock clock;
    private final Ids ids;

    public RecurringScheduleService(Store store, RecurringTriggers triggers, ScheduleService messages,
                                    MessageViews views, Recurrence.Limits limits, Clock clock, Ids ids) {
        this.store = store;
        this.triggers = triggers;
        this.messages = messages;
        this.views = views;
        this.limits = limits;
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Validates and stores the schedule, then arms its trigger; when arming fails (the scheduler refused or was out
     * of reach), the schedule is deleted again, so that the failed call leaves nothing. (A process killed between the
     * two steps still leaves a schedule that fires nothing: an update, or a pause and a resume, arms it.)
     */
    public RecurringScheduleView create(Caller caller, RecurringScheduleRequest request) {
        Instant now = clock.instant();
        Recurrence rule = validate(caller, request, now);
        RecurringSchedule schedule = asRequested(ids.newId(), caller.id(), request, rule, RecurringScheduleState.ACTIVE,
                now, now, 0);
        store.insertRecurringSchedule(schedule);
        armOrUndo(schedule, () -> store.deleteRecurringSchedule(schedule.id(), schedule.version()));
        LOG.info("Created recurring schedule {} ({} in {})", schedule.id(), schedule.expression(), schedule.timeZone());
        return view(schedule);
    }

    /**
     * The next occurrences a rule would have, checked as a schedule's rule is (it reads, it fires, not more often
     * than the minimum): what a form shows before the schedule is saved.
     *
     * @throws ValidationException naming the rule's fields at fault
     */
    public List<Instant> nextOccurrences(String expression, String timeZone, String start, String end) {
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        Optional<Recurrence> rule = Recurrence.parse("", expression, timeZone, start, end, limits, now, errors);
        if (rule.isEmpty()) {
            throw new ValidationException(errors);
        }
        return rule.get().next(NEXT_SHOWN, now);
    }

    public RecurringScheduleView get(Caller caller, String id) {
        return view(owned(caller, id));
    }

    public Page<RecurringScheduleView> list(Caller caller, String cursor, int limit) {
        Page<RecurringSchedule> page = store.listRecurringSchedules(caller.isAdmin() ? null : caller.id(), cursor, limit);
        return new Page<>(page.items().stream().map(this::view).toList(), page.nextCursor());
    }

    /** Replaces what the schedule sends and when; it stays paused or active as it was. */
    public RecurringScheduleView update(Caller caller, String id, RecurringScheduleRequest request) {
        owned(caller, id);
        Instant now = clock.instant();
        Recurrence rule = validate(caller, request, now);
        RecurringSchedule updated = changeAndArm(id, s -> asRequested(s.id(), s.ownerId(), request, rule, s.state(),
                s.createdAt(), now, s.version()));
        LOG.info("Updated recurring schedule {} ({} in {})", id, updated.expression(), updated.timeZone());
        return view(updated);
    }

    /** Its occurrences create nothing until it is resumed; pausing a paused schedule changes nothing. */
    public RecurringScheduleView pause(Caller caller, String id) {
        return setState(caller, id, RecurringScheduleState.PAUSED);
    }

    /** Its next occurrence after now is the first it sends again: the ones while it was paused are not made up. */
    public RecurringScheduleView resume(Caller caller, String id) {
        return setState(caller, id, RecurringScheduleState.ACTIVE);
    }

    private RecurringScheduleView setState(Caller caller, String id, RecurringScheduleState state) {
        owned(caller, id);
        RecurringSchedule changed = changeAndArm(id, s -> s.withState(state, clock.instant()));
        LOG.info("Recurring schedule {} is {}", id, state);
        return view(changed);
    }

    /** Disarms and deletes the schedule and its history; the messages its occurrences created stay. */
    public void delete(Caller caller, String id) {
        RecurringSchedule schedule = owned(caller, id);
        triggers.disarm(id);
        while (!store.deleteRecurringSchedule(id, schedule.version())) {
            schedule = store.findRecurringSchedule(id).orElse(null);
            if (schedule == null) {
                return;
            }
        }
        LOG.info("Deleted recurring schedule {}", id);
    }

    /** The schedule's occurrences, latest first, each with its message's status and counts. */
    public Page<OccurrenceView> history(Caller caller, String id, String cursor, int limit) {
        owned(caller, id);
        Page<ScheduleOccurrence> page = store.listOccurrences(id, cursor, limit);
        return new Page<>(page.items().stream().map(o -> new OccurrenceView(o,
                o.messageId() == null ? Optional.empty() : views.summary(o.messageId()))).toList(), page.nextCursor());
    }

    /**
     * One occurrence of a schedule: creates its message, once. A paused schedule creates nothing, and a deleted
     * one disarms the trigger that still fired for it. An occurrence the schedule can no longer send (its list
     * deleted, its message system disabled, a template that fails for a member) is recorded with the problems.
     * A crash half-way is finished by the trigger's retry, under the same message id.
     */
    public Optional<ScheduleOccurrence> occur(String scheduleId, Instant at) {
        Optional<RecurringSchedule> found = store.findRecurringSchedule(scheduleId);
        if (found.isEmpty()) {
            LOG.warn("Occurrence {} of recurring schedule {}, which is gone: its trigger is disarmed", at, scheduleId);
            triggers.disarm(scheduleId);
            return Optional.empty();
        }
        RecurringSchedule schedule = found.get();
        if (schedule.state() == RecurringScheduleState.PAUSED) {
            LOG.info("Occurrence {} of recurring schedule {} skipped: the schedule is paused", at, scheduleId);
            return Optional.empty();
        }
        Optional<ScheduleOccurrence> recorded = store.findOccurrence(scheduleId, at);
        if (recorded.isPresent()) {
            LOG.info("Occurrence {} of recurring schedule {} fired again: it created message {} already", at,
                    scheduleId, recorded.get().messageId());
            return recorded;
        }
        ScheduleOccurrence occurrence = send(schedule, at);
        if (!store.insertOccurrence(occurrence)) {
            return store.findOccurrence(scheduleId, at); // a concurrent firing recorded it first
        }
        return Optional.of(occurrence);
    }

    private ScheduleOccurrence send(RecurringSchedule schedule, Instant at) {
        // The owner's right to its system and list was checked when the schedule was stored; acting as an admin
        // here keeps an occurrence from failing on who asks, not on what it sends. The message is the owner's.
        Caller owner = new Caller(schedule.ownerId(), Role.ADMIN);
        RecurringScheduleRequest request = requestOf(schedule);
        try {
            ScheduleService.Accepted accepted = messages.scheduleOccurrence(owner, request.occurrenceMessage(),
                    new RecurringOrigin(schedule.id(), at));
            LOG.info("Occurrence {} of recurring schedule {} created message {}", at, schedule.id(),
                    accepted.view().message().id());
            return new ScheduleOccurrence(schedule.id(), at, accepted.view().message().id(), null, clock.instant());
        } catch (ValidationException e) {
            String problem = e.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
            LOG.warn("Occurrence {} of recurring schedule {} sent nothing: {}", at, schedule.id(), problem);
            return new ScheduleOccurrence(schedule.id(), at, null, problem, clock.instant());
        }
    }

    /** The schedule as the request and its checked rule describe it. */
    private static RecurringSchedule asRequested(String id, String ownerId, RecurringScheduleRequest request,
                                                 Recurrence rule, RecurringScheduleState state, Instant createdAt,
                                                 Instant updatedAt, long version) {
        return new RecurringSchedule(id, ownerId, request.messageSystem(), request.name(), request.subject(),
                request.text(), request.html(), request.list(), rule.expression(), request.timeZone(),
                rule.start().orElse(null), rule.end().orElse(null), state, createdAt, updatedAt, version);
    }

    private static RecurringScheduleRequest requestOf(RecurringSchedule schedule) {
        return new RecurringScheduleRequest(schedule.name(), schedule.messageSystemId(), schedule.subject(),
                schedule.text(), schedule.html(), schedule.listId(), schedule.expression(), schedule.timeZone(), null, null);
    }

    /** The request's rule, when everything in it is as a message of it would need; otherwise every field at fault. */
    private Recurrence validate(Caller caller, RecurringScheduleRequest request, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (request.name() == null || request.name().isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (request.name().length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
        } else {
            TextRules.problemWithControls(request.name(), true).ifPresent(p -> errors.add(new FieldError("name", p)));
        }
        if (request.list() == null) {
            errors.add(new FieldError("list", "is required: each occurrence sends to the list's members as they are then"));
        }
        // Without a list the message validator asks for recipients, which a schedule has none of: the list's error says it.
        messages.problemsWith(caller, request.occurrenceMessage()).stream()
                .filter(f -> !f.field().equals("recipients")).forEach(errors::add);
        Optional.ofNullable(request.messageSystem()).flatMap(store::findMessageSystem).filter(s -> !s.scheduling().enabled())
                .map(MessageSystem::id)
                .ifPresent(s -> errors.add(new FieldError("messageSystem", "message system '" + s
                        + "' does not allow scheduled sends")));
        Optional<Recurrence> rule = Recurrence.parse("", request.expression(), request.timeZone(), request.start(),
                request.end(), limits, now, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return rule.orElseThrow();
    }

    /**
     * Stores the change, then arms the trigger as changed; when arming fails, the schedule is put back as it was
     * (unless it changed again meanwhile), so that the stored rule is always the armed one after a failed call.
     */
    private RecurringSchedule changeAndArm(String id, UnaryOperator<RecurringSchedule> change) {
        while (true) {
            RecurringSchedule current = store.findRecurringSchedule(id)
                    .orElseThrow(() -> new NotFoundException("No recurring schedule " + id + "."));
            Optional<RecurringSchedule> changed = store.updateRecurringSchedule(change.apply(current));
            if (changed.isPresent()) {
                armOrUndo(changed.get(), () -> store.updateRecurringSchedule(current.withVersion(changed.get().version())));
                return changed.get();
            }
        }
    }

    private void armOrUndo(RecurringSchedule stored, Runnable undo) {
        try {
            triggers.arm(stored);
        } catch (RuntimeException e) {
            LOG.warn("Recurring schedule {}: its trigger could not be armed; the change is undone", stored.id(), e);
            undo.run();
            throw e;
        }
    }

    /** The schedule, if the caller may see it; another caller's schedule does not exist for them. */
    private RecurringSchedule owned(Caller caller, String id) {
        return store.findRecurringSchedule(id)
                .filter(s -> caller.isAdmin() || s.ownerId().equals(caller.id()))
                .orElseThrow(() -> new NotFoundException("No recurring schedule " + id + "."));
    }

    private RecurringScheduleView view(RecurringSchedule schedule) {
        return new RecurringScheduleView(schedule, schedule.state() == RecurringScheduleState.PAUSED ? List.of()
                : Recurrence.of(schedule).next(NEXT_SHOWN, clock.instant()));
    }
}
