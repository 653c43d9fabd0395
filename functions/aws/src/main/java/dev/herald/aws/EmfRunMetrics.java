package dev.herald.aws;

import dev.herald.core.dispatch.RunReport;
import dev.herald.core.port.RunMetrics;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * Run figures as CloudWatch metrics in embedded metric format: one log line per run end, which
 * CloudWatch turns into metrics without an API call. In the deployment's namespace (one per stage),
 * each metric is published without dimensions (for alarms) and by {@code MessageSystem}. The run's ids ride along
 * as properties, so Logs Insights finds the run behind a data point.
 */
public final class EmfRunMetrics implements RunMetrics {

    private final String namespace;
    private final Environment environment;

    /** Writes to the Lambda function's log stream. */
    public EmfRunMetrics(String namespace) {
        this(namespace, new LambdaEnvironment());
    }

    public EmfRunMetrics(String namespace, Environment environment) {
        this.namespace = namespace;
        this.environment = environment;
    }

    @Override
    public void record(RunReport report) {
        MetricsLogger metrics = new MetricsLogger(environment);
        metrics.setNamespace(namespace);
        metrics.setDimensions(false, new DimensionSet(), DimensionSet.of("MessageSystem", report.messageSystemId()));
        metrics.putMetric("RecipientsSent", report.sent(), Unit.COUNT);
        metrics.putMetric("RecipientsFailed", report.failed(), Unit.COUNT);
        metrics.putMetric("RecipientsUnknown", report.unknown(), Unit.COUNT);
        metrics.putMetric("Throttles", report.throttles(), Unit.COUNT);
        metrics.putMetric("RunDuration", report.duration().toMillis(), Unit.MILLISECONDS);
        if (report.lateness() != null) {
            metrics.putMetric("Lateness", report.lateness().toMillis(), Unit.MILLISECONDS);
        }
        metrics.putProperty("messageId", report.messageId());
        metrics.putProperty("taskId", report.taskId());
        metrics.putProperty("runId", report.runId());
        metrics.putProperty("trigger", report.trigger().name());
        metrics.putProperty("status", report.status().name());
        metrics.flush();
    }
}
