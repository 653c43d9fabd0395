package dev.herald.console;

import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageStatus;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.TaskState;
import dev.herald.core.schedule.MessageView;
import dev.herald.core.schedule.RecipientView;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Messages as the console's templates show them: plain values, every instant in the viewer's zone. */
final class MessageModels {

    private static final DateTimeFormatter IN_ZONE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss zzz", Locale.ENGLISH);

    private MessageModels() {
    }

    static String at(Instant instant, ZoneId zone) {
        return instant == null ? "" : IN_ZONE.format(instant.atZone(zone));
    }

    /** A row of the messages page. */
    static Map<String, Object> summary(MessageView view, ZoneId zone) {
        Message message = view.message();
        Map<String, Object> row = new HashMap<>();
        row.put("id", message.id());
        row.put("subject", message.subject());
        row.put("status", message.status().name());
        row.put("messageSystem", message.messageSystemId());
        row.put("sendAt", at(message.sendAt(), zone));
        row.put("counts", counts(view.counts()));
        return row;
    }

    /** The message page: the summary with its tasks, runs and what may be done to it now. */
    static Map<String, Object> detail(MessageView view, ZoneId zone) {
        Map<String, Object> model = summary(view, zone);
        Message message = view.message();
        MessageStatus status = message.status();
        model.put("timeZone", message.timeZone() == null ? "" : message.timeZone());
        model.put("localSendAt", message.localSendAt() == null ? "" : message.localSendAt().toString());
        model.put("sendBy", at(message.sendBy(), zone));
        model.put("live", !status.isFinal());
        model.put("waitingUntil", waitingUntil(view).map(at -> at(at, zone)).orElse(""));
        model.put("tasks", view.tasks().stream().map(task -> task(task, view, zone)).toList());
        model.put("runs", view.runs().stream().map(run -> run(run, zone)).toList());
        model.put("canCancel", status == MessageStatus.SCHEDULED || status == MessageStatus.SENDING || status == MessageStatus.PAUSED);
        model.put("canPause", status == MessageStatus.SCHEDULED || status == MessageStatus.SENDING);
        model.put("canResume", status == MessageStatus.PAUSED);
        model.put("canReschedule", status == MessageStatus.SCHEDULED);
        model.put("canMove", status == MessageStatus.SCHEDULED || status == MessageStatus.PAUSED);
        return model;
    }

    /**
     * When a sending message whose last run stopped at a closed send window or a reached daily cap goes on: its
     * earliest armed task's instant. (Its status stays SENDING meanwhile, as in the API.)
     */
    private static Optional<Instant> waitingUntil(MessageView view) {
        boolean waiting = view.message().status() == MessageStatus.SENDING && view.runs().stream()
                .max(Comparator.comparing(Run::startedAt)).map(run -> run.status() == RunStatus.WAITING).orElse(false);
        return waiting ? view.tasks().stream().filter(task -> task.state() == TaskState.ARMED).map(Task::fireAt)
                .min(Comparator.naturalOrder()) : Optional.empty();
    }

    /**
     * The reschedule form's first values: the message's instant in its own zone (or the viewer's); for a message in
     * each recipient's local time, that local date-time.
     */
    static Map<String, String> rescheduleFields(MessageView view, ZoneId viewer) {
        Message message = view.message();
        ZoneId zone = message.timeZone() == null ? viewer : ZoneId.of(message.timeZone());
        if (message.sendAt() == null) {
            return Map.of("date", "", "time", "", "zone", zone.getId());
        }
        var local = message.localSendAt() != null ? message.localSendAt() : message.sendAt().atZone(zone).toLocalDateTime();
        return Map.of("date", local.toLocalDate().toString(), "time", DateTimeFormatter.ISO_LOCAL_TIME.format(local.toLocalTime()),
                "zone", zone.getId());
    }

    static Map<String, Object> recipient(RecipientView view, ZoneId zone) {
        var recipient = view.recipient();
        var outcome = recipient.outcome();
        Map<String, Object> row = new HashMap<>();
        row.put("index", view.index());
        row.put("email", recipient.email());
        row.put("name", recipient.name() == null ? "" : recipient.name());
        row.put("state", recipient.state().name());
        row.put("at", outcome == null ? "" : at(outcome.at(), zone));
        row.put("error", outcome == null || outcome.error() == null ? "" : outcome.error());
        row.put("feedback", recipient.feedback().stream().map(f -> f.kind().name() + " " + at(f.at(), zone)).toList());
        return row;
    }

    private static Map<String, Object> task(Task task, MessageView view, ZoneId zone) {
        // A message of one task counts it as the message (per-task counts are kept for several tasks).
        Counts counts = view.tasks().size() == 1 ? view.counts() : view.taskCounts().get(task.id());
        Map<String, Object> row = new HashMap<>();
        row.put("fireAt", at(task.fireAt(), zone));
        row.put("state", task.state().name());
        row.put("timeZones", String.join(", ", task.timeZones()));
        row.put("counts", counts == null ? Map.of() : counts(counts));
        return row;
    }

    private static Map<String, Object> run(Run run, ZoneId zone) {
        Map<String, Object> row = new HashMap<>();
        row.put("trigger", run.trigger().name());
        row.put("status", run.status().name());
        row.put("startedAt", at(run.startedAt(), zone));
        row.put("endedAt", at(run.endedAt(), zone));
        row.put("lateness", Duration.between(run.scheduledFor(), run.startedAt()).toMillis() + " ms");
        row.put("sent", run.sent());
        row.put("failed", run.failed());
        row.put("error", run.error() == null ? "" : run.error());
        return row;
    }

    private static Map<String, Object> counts(Counts counts) {
        return Map.ofEntries(Map.entry("total", counts.total()), Map.entry("pending", counts.pending()),
                Map.entry("sent", counts.sent()), Map.entry("failed", counts.failed()),
                Map.entry("unknown", counts.unknown()), Map.entry("suppressed", counts.suppressed()),
                Map.entry("cancelled", counts.cancelled()), Map.entry("expired", counts.expired()),
                Map.entry("delivered", counts.delivered()), Map.entry("bounced", counts.bounced()),
                Map.entry("complained", counts.complained()));
    }

    static List<String> statuses(Class<? extends Enum<?>> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    }
}
