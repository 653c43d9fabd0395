package dev.herald.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.core.access.AccessToken;
import dev.herald.core.access.TokenService;
import dev.herald.core.model.Audience;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.Counts;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Run;
import dev.herald.core.model.SendWindows;
import dev.herald.core.model.Suppression;
import dev.herald.core.model.Task;
import dev.herald.core.model.RecurringOrigin;
import dev.herald.core.model.RecurringSchedule;
import dev.herald.core.schedule.MessageView;
import dev.herald.core.schedule.OccurrenceView;
import dev.herald.core.schedule.RecurringScheduleView;
import dev.herald.core.schedule.RecipientView;
import dev.herald.core.schedule.SendWindowsInput;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the API answers: the domain, minus what callers must not see (ciphertexts, owners of others). */
final class Views {

    private Views() {
    }

    /**
     * For the OpenAPI document: a field that a NON_NULL record leaves out when it has no value, so
     * the document says "not required" rather than "may be null" (which it would spell wrongly for a
     * nested object).
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
    @Schema(requiredMode = Schema.RequiredMode.NOT_REQUIRED)
    @interface Omittable {
    }

    @Serdeable
    record CountsView(int total, int pending, int sent, int failed, int unknown, int cancelled, int expired,
                      int suppressed, int delivered, int bounced, int complained, int rejected) {
        static CountsView of(Counts counts) {
            return new CountsView(counts.total(), counts.pending(), counts.sent(), counts.failed(), counts.unknown(),
                    counts.cancelled(), counts.expired(), counts.suppressed(), counts.delivered(), counts.bounced(),
                    counts.complained(), counts.rejected());
        }
    }

    /** A task; one of a local-time message's names the zones it sends to, and the counts of their recipients. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskView(String id, String fireAt, String state, @Omittable String category,
                    @Omittable List<String> timeZones, @Omittable CountsView counts) {
        static TaskView of(Task task, MessageView view) {
            Counts counts = view.taskCounts().get(task.id());
            return new TaskView(task.id(), text(task.fireAt()), task.state().name(), task.category(),
                    task.timeZones().isEmpty() ? null : task.timeZones(), counts == null ? null : CountsView.of(counts));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RunView(String id, String taskId, String trigger, String status, String scheduledFor, String startedAt,
                   @Omittable String endedAt, long latenessMillis, int sent, int failed, int unknown,
                   @Omittable String error) {
        static RunView of(Run run) {
            return new RunView(run.id(), run.taskId(), run.trigger().name(), run.status().name(), text(run.scheduledFor()),
                    text(run.startedAt()), text(run.endedAt()),
                    java.time.Duration.between(run.scheduledFor(), run.startedAt()).toMillis(),
                    run.sent(), run.failed(), run.unknown(), run.error());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MessageBody(String id, String status, String messageSystem, String owner, String subject,
                       @Omittable String sendAt, @Omittable String timeZone, @Omittable String localSendAt,
                       @Omittable String sendBy, String delivery, @Omittable SendWindowsView sendWindows,
                       @Omittable Integer dailyCap, @Omittable AudienceView audience,
                       @Omittable OriginView recurringSchedule, CountsView counts, String createdAt,
                       @Omittable String updatedAt, @Omittable List<TaskView> tasks, @Omittable List<RunView> runs) {
        static MessageBody of(MessageView view) {
            return of(view, view.tasks().stream().map(t -> TaskView.of(t, view)).toList(),
                    view.runs().stream().map(RunView::of).toList());
        }

        /** For listings: without tasks and runs. */
        static MessageBody summary(MessageView view) {
            return of(view, null, null);
        }

        private static MessageBody of(MessageView view, List<TaskView> tasks, List<RunView> runs) {
            Message m = view.message();
            return new MessageBody(m.id(), m.status().name(), m.messageSystemId(), m.ownerId(), m.subject(),
                    text(m.sendAt()), m.timeZone(), m.localSendAt() == null ? null : m.localSendAt().toString(), text(m.sendBy()), m.delivery().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    SendWindowsView.of(m.sendWindows()), m.dailyCap(), AudienceView.of(m.audience()), OriginView.of(m.origin()), CountsView.of(view.counts()),
                    text(m.createdAt()), text(m.updatedAt()), tasks, runs);
        }
    }

    /** A message's send windows as they were given: days as MON..SUN, times as HH:mm. */
    @Serdeable
    record SendWindowsView(String timeZone, List<WindowView> windows) {
        static SendWindowsView of(SendWindows windows) {
            SendWindowsInput written = SendWindowsInput.of(windows);
            return written == null ? null : new SendWindowsView(written.timeZone(), written.windows().stream()
                    .map(w -> new WindowView(w.days(), w.from(), w.to())).toList());
        }
    }

    @Serdeable
    record WindowView(List<String> days, String from, String to) {
    }

    /** The recurring schedule a message was made by, and the occurrence it was made for. */
    @Serdeable
    record OriginView(String id, String occurrence) {
        static OriginView of(RecurringOrigin origin) {
            return origin == null ? null : new OriginView(origin.scheduleId(), text(origin.occurrence()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecipientBody(int index, String email, @Omittable String name, String state,
                         @Omittable String providerMessageId, @Omittable String error, @Omittable String at,
                         @Omittable List<FeedbackBody> feedback) {
        static RecipientBody of(RecipientView view) {
            Outcome outcome = view.recipient().outcome();
            List<FeedbackBody> feedback = view.recipient().feedback().stream()
                    .map(f -> new FeedbackBody(f.kind().name(), text(f.at()), f.detail())).toList();
            return new RecipientBody(view.index(), view.recipient().email(), view.recipient().name(),
                    view.recipient().state().name(), outcome == null ? null : outcome.providerMessageId(),
                    outcome == null ? null : outcome.error(), outcome == null ? null : text(outcome.at()),
                    feedback.isEmpty() ? null : feedback);
        }
    }

    /** What became of a report fed by hand: APPLIED, DUPLICATE, UNKNOWN (no such mail) or NOT_A_REPORT (a send, an open). */
    @Serdeable
    record RecordedBody(String recorded) {
    }

    /** One report of the provider in a recipient's history. */
    @Serdeable
    record FeedbackBody(String kind, String at, @Nullable String detail) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SuppressionBody(String address, String reason, String at, @Omittable String messageId) {
        static SuppressionBody of(Suppression s) {
            return new SuppressionBody(s.address(), s.reason().name(), text(s.at()), s.messageId());
        }
    }

    @Serdeable
    record AddedBody(int added, int alreadySuppressed) {
    }

    @Serdeable
    record ListBody(String id, String name, String messageSystem, String owner, String state, long memberCount,
                    String createdAt, @Nullable String updatedAt) {
        static ListBody of(AudienceList list) {
            return new ListBody(list.id(), list.name(), list.messageSystemId(), list.ownerId(), list.state().name(),
                    list.memberCount(), text(list.createdAt()), text(list.updatedAt()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MemberBody(String email, @Omittable String name, @Omittable Map<String, Object> data,
                      @Omittable String timeZone) {
        static MemberBody of(ListMember member) {
            return new MemberBody(member.email(), member.name(), member.data().isEmpty() ? null : member.data(),
                    member.timeZone());
        }
    }

    @Serdeable
    record MembersPutBody(int added, int updated, long memberCount) {
    }

    @Serdeable
    record MembersRemovedBody(int removed, long memberCount) {
    }

    /** Where a message's recipients come from when it names a list, and how far the list is copied into it. */
    @Serdeable
    record AudienceView(String list, boolean resolved) {
        static AudienceView of(Audience audience) {
            return audience == null ? null : new AudienceView(audience.listId(), audience.resolved());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PageBody<T>(List<T> items, @Omittable String nextCursor) {
    }

    @Serdeable
    record SmtpView(String host, int port, String security) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SesView(@Omittable String region, @Omittable String configurationSet) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SchedulingView(boolean enabled, @Omittable String category, @Omittable String maxLateness,
                          @Omittable SendWindowsView sendWindows, @Omittable Integer dailyCap) {
    }

    @Serdeable
    record UnsubscribeView(boolean enabled, boolean requireLinkInHtml) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record JobAccountView(@Omittable String name, boolean passwordSet) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MessageSystemBody(String id, String name, boolean enabled, String transport, String from,
                             @Omittable String fromName, @Omittable String replyTo, @Omittable Double maxSendRate,
                             @Omittable SmtpView smtp, @Omittable SesView ses, SchedulingView scheduling,
                             UnsubscribeView unsubscribe, JobAccountView jobAccount, String createdAt,
                             @Omittable String updatedAt) {
        static MessageSystemBody of(MessageSystem s) {
            return new MessageSystemBody(s.id(), s.name(), s.enabled(), s.transport().wireName(), s.from().email(),
                    s.from().name(), s.replyTo(), s.maxSendRate(),
                    s.smtp() == null ? null : new SmtpView(s.smtp().host(), s.smtp().port(),
                            s.smtp().security().name().toLowerCase(Locale.ROOT)),
                    s.ses() == null ? null : new SesView(s.ses().region(), s.ses().configurationSet()),
                    new SchedulingView(s.scheduling().enabled(), s.scheduling().category(),
                            s.scheduling().maxLateness() == null ? null : s.scheduling().maxLateness().toString(),
                            SendWindowsView.of(s.scheduling().sendWindows()), s.scheduling().dailyCap()),
                    new UnsubscribeView(s.unsubscribe().enabled(), s.unsubscribe().requireLinkInHtml()),
                    new JobAccountView(s.hasJobAccount() ? s.jobAccount().name() : null, s.hasJobAccount()),
                    text(s.createdAt()), text(s.updatedAt()));
        }
    }

    @Serdeable
    record TokenBody(String id, String name, String role, String token, String createdAt) {
        static TokenBody of(TokenService.IssuedToken issued) {
            return new TokenBody(issued.token().id(), issued.token().name(), issued.token().role().wireName(),
                    issued.plaintext(), text(issued.token().createdAt()));
        }
    }

    /** A token as admins list it: who it is for and when it was last used, never its secret. */
    @Serdeable
    record TokenSummaryBody(String id, String name, String role, String createdAt, @Nullable String lastUsedAt) {
        static TokenSummaryBody of(AccessToken token) {
            return new TokenSummaryBody(token.id(), token.name(), token.role().wireName(), text(token.createdAt()),
                    text(token.lastUsedAt()));
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(String status, @Omittable Map<String, String> components) {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecurringScheduleBody(String id, String name, String state, String messageSystem, String owner,
                                 String list, String subject, @Omittable String text, @Omittable String html,
                                 String expression, String timeZone, @Omittable String start, @Omittable String end,
                                 List<String> nextOccurrences, String createdAt, @Omittable String updatedAt) {
        static RecurringScheduleBody of(RecurringScheduleView view) {
            RecurringSchedule s = view.schedule();
            return new RecurringScheduleBody(s.id(), s.name(), s.state().name(), s.messageSystemId(), s.ownerId(),
                    s.listId(), s.subject(), s.text(), s.html(), s.expression(), s.timeZone(), Views.text(s.start()),
                    Views.text(s.end()), view.nextOccurrences().stream().map(Views::text).toList(), Views.text(s.createdAt()),
                    Views.text(s.updatedAt()));
        }
    }

    /** An occurrence in a schedule's history: the message it created with its status and counts, or its problem. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OccurrenceBody(String at, @Omittable String message, @Omittable String status, @Omittable CountsView counts,
                          @Omittable String problem) {
        static OccurrenceBody of(OccurrenceView view) {
            return new OccurrenceBody(text(view.occurrence().at()), view.occurrence().messageId(),
                    view.message().map(m -> m.message().status().name()).orElse(null),
                    view.message().map(m -> CountsView.of(m.counts())).orElse(null), view.occurrence().problem());
        }
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
