package dev.herald.send;

import com.amazonaws.services.lambda.runtime.Context;
import dev.herald.core.dispatch.Deadline;
import dev.herald.core.dispatch.DispatchResult;
import dev.herald.core.dispatch.DispatchService;
import dev.herald.core.dispatch.FireRequest;
import dev.herald.core.model.Trigger;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The send function: a schedule (or a fire-now) invokes it with a task id; it dispatches the task
 * within the invocation's remaining time and checkpoints into a fresh invocation before it runs out.
 */
public class SendHandler extends MicronautRequestHandler<SendEvent, SendResult> {

    @Inject
    DispatchService dispatch;

    /** For Lambda. */
    public SendHandler() {
    }

    /** For tests: the application context built from this builder's configuration. */
    public SendHandler(ApplicationContextBuilder builder) {
        super(builder);
    }

    @Override
    public SendResult execute(SendEvent event) {
        Context context = getApplicationContext().findBean(Context.class).orElse(null);
        Deadline deadline = context == null ? Deadline.none()
                : () -> Duration.ofMillis(context.getRemainingTimeInMillis());
        DispatchResult result = dispatch.dispatch(new FireRequest(event.taskId(), trigger(event), scheduledTime(event)), deadline);
        return new SendResult(result.outcome().name(), result.runId(), result.runCounts().sent(),
                result.runCounts().failed(), result.runCounts().unknown());
    }

    private static Trigger trigger(SendEvent event) {
        return "IMMEDIATE".equals(event.trigger()) ? Trigger.IMMEDIATE : Trigger.SCHEDULE;
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
