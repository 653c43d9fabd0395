package dev.herald.send;

import dev.herald.aws.CurrentInvocation;
import dev.herald.core.dispatch.Deadline;
import dev.herald.core.dispatch.DispatchResult;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.model.Trigger;
import dev.herald.core.render.TemplateRenderer;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The send function: a schedule (or a fire-now) invokes it with a task id; it dispatches the task
 * within the invocation's remaining time and checkpoints into a fresh invocation before it runs out.
 * A recurring schedule invokes it at each occurrence, which becomes a message sent by a fresh invocation.
 * Every minute a rule invokes it to reconcile: it fires the tasks whose triggers were lost, and goes on deleting
 * the lists whose deletion no request finished.
 * With SnapStart, {@link #beforeCheckpoint} primes it so that the snapshot holds warm code and clients.
 */
public class SendHandler extends MicronautRequestHandler<SendEvent, SendResult> implements Resource {

    /** A task id no task has (task ids are UUIDs): firing it reads the table and changes nothing. */
    static final String PRIMING_TASK_ID = "herald-priming";
    private static final Logger LOG = LoggerFactory.getLogger(SendHandler.class);

    @Inject
    DispatchService dispatch;

    @Inject
    SesV2Client ses;

    @Inject
    ReconcilingSweep reconcilingSweep;

    @Inject
    CurrentInvocation invocation;

    @Inject
    Occurrences occurrences;

    /** For Lambda. */
    public SendHandler() {
        Core.getGlobalContext().register(this);
    }

    /** For tests: the application context built from this builder's configuration. */
    public SendHandler(ApplicationContextBuilder builder) {
        super(builder);
        Core.getGlobalContext().register(this);
    }

    @Override
    public SendResult execute(SendEvent event) {
        if (SendEvent.RECONCILE.equals(event.trigger())) {
            return new SendResult("RECONCILED", null, 0, 0, 0, reconcilingSweep.run(), null);
        }
        if (event.recurringScheduleId() != null) {
            return occurrences.fire(event.recurringScheduleId(), event.scheduledTime())
                    .map(o -> new SendResult(o.messageId() != null ? "OCCURRED" : "OCCURRENCE_FAILED", null, 0, 0, 0, 0,
                            o.messageId()))
                    .orElseGet(() -> new SendResult("OCCURRENCE_SKIPPED", null, 0, 0, 0, 0, null));
        }
        Deadline deadline = invocation.context().<Deadline>map(context -> () -> Duration.ofMillis(context.getRemainingTimeInMillis()))
                .orElse(Deadline.none());
        DispatchResult result = dispatch.dispatch(new FireRequest(event.taskId(), trigger(event), scheduledTime(event)), deadline);
        return new SendResult(result.outcome().name(), result.runId(), result.runCounts().sent(),
                result.runCounts().failed(), result.runCounts().unknown(), 0, null);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws Exception {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to renew: the SDK's clients open fresh connections when the old ones fail.
    }

    /**
     * Runs an invocation's code paths without side effects: a firing of a task that does not exist
     * (a DynamoDB read, nothing written, nothing sent), rendering a template, and SES's read-only
     * account quota. Answers how the firing ended.
     */
    DispatchResult.Outcome prime() throws TemplateRenderer.InvalidTemplatesException {
        DispatchResult firing = dispatch.dispatch(new FireRequest(PRIMING_TASK_ID, Trigger.SCHEDULE, null), Deadline.none());
        new TemplateRenderer().compile("Hello {{name}}", "Hello {{name}}", "<p>Hello {{name}}</p>")
                .render("priming@example.com", "Priming", Map.of("n", 1));
        try {
            ses.getAccount(r -> { });
        } catch (SdkException e) {
            LOG.info("Priming: SES GetAccount failed ({}); SES is warmed at the first send instead", e.getMessage());
        }
        LOG.info("Primed: a firing of an unknown task ended {}", firing.outcome());
        return firing.outcome();
    }

    private static Trigger trigger(SendEvent event) {
        return "IMMEDIATE".equals(event.trigger()) ? Trigger.IMMEDIATE
                : "WORKER".equals(event.trigger()) ? Trigger.WORKER : Trigger.SCHEDULE;
    }

    /** The schedule's own time, when it sent a usable one (the placeholder is replaced by EventBridge). */
    private static Instant scheduledTime(SendEvent event) {
        if (event.scheduledTime() == null) {
            return null;
        }
        try {
            return Instant.parse(event.scheduledTime());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
