package dev.herald.aws;

import dev.herald.core.dispatch.RunReport;
import dev.herald.core.model.Counts;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Trigger;
import dev.herald.core.storage.Documents;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The log line CloudWatch reads metrics from, as the embedded metric format specifies it. */
class EmfRunMetricsTest {

    private final List<String> lines = new ArrayList<>();
    /** EMF accepts no timestamp far from the real time. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final EmfRunMetrics metrics = new EmfRunMetrics("Herald/prod", "WARN", new CapturingEnvironment(lines),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final Documents json = new Documents();

    @SuppressWarnings("unchecked")
    private Map<String, Object> onlyLine() {
        assertThat(lines).hasSize(1);
        return json.read(lines.get(0), Map.class);
    }

    @Test
    void aRunEnd_isOneEmfLine_withCountsThrottlesLatenessAndDuration_byMessageSystemAndOverall() {
        metrics.record(new RunReport("newsletters", "m-1", "t-1", "r-1", Trigger.SCHEDULE, RunStatus.COMPLETED,
                new Counts(47, 0, 40, 2, 1, 0, 0, 4, 0, 0, 0, 0), 3, Duration.ofMillis(850), Duration.ofSeconds(12)));

        Map<String, Object> line = onlyLine();
        Map<?, ?> aws = (Map<?, ?>) line.get("_aws");
        assertThat(((Number) aws.get("Timestamp")).longValue()).isEqualTo(NOW.toEpochMilli());
        Map<?, ?> directive = (Map<?, ?>) ((List<?>) aws.get("CloudWatchMetrics")).get(0);
        assertThat(directive.get("Namespace")).isEqualTo("Herald/prod");
        assertThat(directive.get("Dimensions")).isEqualTo(List.of(List.of(), List.of("MessageSystem")));
        assertThat((List<?>) directive.get("Metrics")).extracting(m -> ((Map<?, ?>) m).get("Name") + "/" + ((Map<?, ?>) m).get("Unit"))
                .containsExactlyInAnyOrder("RecipientsSent/Count", "RecipientsFailed/Count", "RecipientsUnknown/Count",
                        "RecipientsSuppressed/Count", "RecipientsExpired/Count", "Throttles/Count", "RunDuration/Milliseconds",
                        "Lateness/Milliseconds");
        assertThat(line).containsEntry("MessageSystem", "newsletters")
                .containsEntry("RecipientsSent", 40.0).containsEntry("RecipientsFailed", 2.0)
                .containsEntry("RecipientsUnknown", 1.0).containsEntry("RecipientsSuppressed", 4.0)
                .containsEntry("RecipientsExpired", 0.0).containsEntry("Throttles", 3.0)
                .containsEntry("Lateness", 850.0).containsEntry("RunDuration", 12000.0)
                .containsEntry("messageId", "m-1").containsEntry("taskId", "t-1").containsEntry("runId", "r-1")
                .containsEntry("trigger", "SCHEDULE").containsEntry("status", "COMPLETED");
    }

    @Test
    void theLine_carriesTheLevelAndTimestampLambdasLogFiltering_reads_atTheConfiguredLevel_soThatItIsNeverDropped() {
        metrics.record(new RunReport("newsletters", "m-1", "t-1", "r-1", Trigger.SCHEDULE, RunStatus.COMPLETED,
                Counts.ofRun(1, 0, 0), 0, Duration.ZERO, Duration.ofSeconds(1)));

        Map<String, Object> line = onlyLine();
        assertThat(line).containsEntry("level", "WARN").containsEntry("timestamp", NOW.toString());
        assertThat(OffsetDateTime.parse((String) line.get("timestamp"), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant())
                .isEqualTo(NOW);
    }

    @Test
    void theLevel_isLambdasConfiguredLevel_orInfo() {
        assertThat(LambdaLogLevel.of("warn")).isEqualTo("WARN");
        assertThat(LambdaLogLevel.of(null)).isEqualTo("INFO");
        assertThat(LambdaLogLevel.of("LOUD")).isEqualTo("INFO");
    }

    @Test
    void aContinuation_reportsNoLateness() {
        metrics.record(new RunReport("newsletters", "m-1", "t-1", "r-2", Trigger.CONTINUATION, RunStatus.COMPLETED,
                Counts.ofRun(5, 0, 0), 0, null, Duration.ofSeconds(1)));

        Map<String, Object> line = onlyLine();
        assertThat(line).doesNotContainKey("Lateness").containsEntry("RecipientsSent", 5.0);
    }

    /** The Lambda environment's shape, with a sink that keeps the lines instead of printing them. */
    private record CapturingEnvironment(List<String> lines) implements Environment {
        public boolean probe() {
            return true;
        }

        public String getName() {
            return "herald-send";
        }

        public String getType() {
            return "AWS::Lambda::Function";
        }

        public String getLogGroupName() {
            return "/aws/lambda/herald-send";
        }

        public void configureContext(MetricsContext context) {
        }

        public ISink getSink() {
            return new ISink() {
                public void accept(MetricsContext context) {
                    try {
                        lines.addAll(context.serialize());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                public CompletableFuture<Void> shutdown() {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }
    }
}
