package dev.herald.send;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * The feedback function: EventBridge invokes it with each event SES publishes for the stack's
 * configuration set (bounces, complaints, deliveries, delays, rejections, rendering failures), and
 * it records the event for its recipient. Its own function, not the send function: it needs only
 * the table, and a burst of bounces must not take the concurrency sends run on.
 */
public class FeedbackHandler extends MicronautRequestHandler<Map<String, Object>, FeedbackResult> {

    @Inject
    FeedbackRecorder recorder;

    /** For Lambda. */
    public FeedbackHandler() {
    }

    /** For tests: the application context built from this builder's configuration. */
    public FeedbackHandler(ApplicationContextBuilder builder) {
        super(builder);
    }

    @Override
    public FeedbackResult execute(Map<String, Object> event) {
        return new FeedbackResult(recorder.record(event));
    }
}
