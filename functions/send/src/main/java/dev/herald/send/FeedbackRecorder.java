package dev.herald.send;

import dev.herald.core.feedback.DeliveryReport;
import dev.herald.core.feedback.FeedbackService;
import dev.herald.core.feedback.SesEvents;
import dev.herald.core.feedback.UnreadableReportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;

/**
 * One SES event as the feedback function receives it from EventBridge, read and recorded. An event
 * that does not read fails the invocation, so that Lambda's retries and then its dead-letter queue
 * keep it; the log line names the event's id and why, never its content (it holds addresses).
 */
final class FeedbackRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackRecorder.class);
    private final SesEvents events;
    private final FeedbackService feedback;

    FeedbackRecorder(SesEvents events, FeedbackService feedback) {
        this.events = events;
        this.feedback = feedback;
    }

    String record(Map<String, Object> event) {
        Optional<DeliveryReport> report;
        try {
            report = events.read(event);
        } catch (UnreadableReportException e) {
            LOG.error("Unreadable SES event {}: {}; it goes to the dead-letter queue", event.get("id"), e.getMessage());
            throw e;
        }
        return report.map(r -> feedback.record(r).name()).orElse("NOT_A_REPORT");
    }
}
