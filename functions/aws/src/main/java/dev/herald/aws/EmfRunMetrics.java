package dev.herald.aws;

import dev.herald.core.dispatch.RunReport;
import dev.herald.core.port.RunMetrics;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Run figures as CloudWatch metrics in embedded metric format: one log line per run end, which
 * CloudWatch turns into metrics without an API call. In the deployment's namespace (one per stage),
 * each metric is published without dimensions (for alarms) and by {@code MessageSystem}. The run's ids ride along
 * as properties, so Logs Insights finds the run behind a data point.
 * <p>
 * The line also carries {@code level} and an RFC 3339 {@code timestamp}, the fields Lambda's log-level
 * filtering reads: a line without them counts as INFO, and would be dropped, with the alarms built on
 * it, once an operator raises {@code ApplicationLogLevel}. Its level is the configured level itself, so
 * that it always passes the filter.
 */
public final class EmfRunMetrics implements RunMetrics {

    public static final String RECIPIENTS_SENT = "RecipientsSent";
    public static final String RECIPIENTS_FAILED = "RecipientsFailed";
    public static final String RECIPIENTS_UNKNOWN = "RecipientsUnknown";
    public static final String RECIPIENTS_SUPPRESSED = "RecipientsSuppressed";
    public static final String RECIPIENTS_EXPIRED = "RecipientsExpired";
    public static final String THROTTLES = "Throttles";
    public static final String RUN_DURATION = "RunDuration";
    public static final String LATENESS = "Lateness";
    /** Every metric a run end may publish. */
    public static final List<String> METRICS = List.of(RECIPIENTS_SENT, RECIPIENTS_FAILED, RECIPIENTS_UNKNOWN,
            RECIPIENTS_SUPPRESSED, RECIPIENTS_EXPIRED, THROTTLES, RUN_DURATION, LATENESS);

    private final String namespace;
    private final String logLevel;
    private final Environment environment;
    private final Clock clock;

    /** Writes to the Lambda function's log stream, at the function's application log level. */
    public EmfRunMetrics(String namespace) {
        this(namespace, LambdaLogLevel.configured(), new LambdaEnvironment(), Clock.systemUTC());
    }

    public EmfRunMetrics(String namespace, String logLevel, Environment environment, Clock clock) {
        this.namespace = namespace;
        this.logLevel = logLevel;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public void record(RunReport report) {
        Instant now = clock.instant();
        MetricsLogger metrics = new MetricsLogger(environment);
        metrics.setNamespace(namespace);
        metrics.setTimestamp(now);
        metrics.setDimensions(false, new DimensionSet(), DimensionSet.of("MessageSystem", report.messageSystemId()));
        metrics.putMetric(RECIPIENTS_SENT, report.recipients().sent(), Unit.COUNT);
        metrics.putMetric(RECIPIENTS_FAILED, report.recipients().failed(), Unit.COUNT);
        metrics.putMetric(RECIPIENTS_UNKNOWN, report.recipients().unknown(), Unit.COUNT);
        metrics.putMetric(RECIPIENTS_SUPPRESSED, report.recipients().suppressed(), Unit.COUNT);
        metrics.putMetric(RECIPIENTS_EXPIRED, report.recipients().expired(), Unit.COUNT);
        metrics.putMetric(THROTTLES, report.throttles(), Unit.COUNT);
        metrics.putMetric(RUN_DURATION, report.duration().toMillis(), Unit.MILLISECONDS);
        if (report.lateness() != null) {
            metrics.putMetric(LATENESS, report.lateness().toMillis(), Unit.MILLISECONDS);
        }
        metrics.putProperty("level", logLevel);
        metrics.putProperty("timestamp", now.toString());
        metrics.putProperty("messageId", report.messageId());
        metrics.putProperty("taskId", report.taskId());
        metrics.putProperty("runId", report.runId());
        metrics.putProperty("trigger", report.trigger().name());
        metrics.putProperty("status", report.status().name());
        metrics.flush();
    }
}
