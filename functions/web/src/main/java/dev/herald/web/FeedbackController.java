package dev.herald.web;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.feedback.DeliveryReport;
import dev.herald.core.feedback.FeedbackService;
import dev.herald.core.feedback.ReportNotYetApplicable;
import dev.herald.core.feedback.SesEvents;
import dev.herald.core.feedback.UnreadableReportException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/feedback/ses}, admins only: an SES event record, as a file holds it, recorded as
 * the feedback function records what SES publishes. The local runtime's transports have no
 * feedback; this is how to try the path on a laptop, or to replay an event by hand.
 */
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Feedback")
@ApiDocument.Authenticated
@ApiDocument.RequestLimits
@Controller("/v1/feedback/ses")
public class FeedbackController {

    private final FeedbackService feedback;
    private final SesEvents events;
    private final CallerResolver callers;

    public FeedbackController(FeedbackService feedback, SesEvents events, CallerResolver callers) {
        this.feedback = feedback;
        this.events = events;
        this.callers = callers;
    }

    @Operation(operationId = "recordSesEvent", summary = "Record an SES event record (bounce, complaint, delivery)")
    @ApiResponse(responseCode = "200", description = "What the event changed", useReturnTypeSchema = true)
    @ApiDocument.Conflicting
    @Post
    public Views.RecordedBody record(HttpRequest<?> request,
            @RequestBody(required = true, content = @Content(schema = @Schema(ref = "SesEventRecord")))
            @Nullable @Body byte[] body) {
        Caller caller = callers.require(request);
        caller.requireAdmin();
        Optional<DeliveryReport> report;
        try {
            report = events.read(body == null ? "" : new String(body, StandardCharsets.UTF_8));
        } catch (UnreadableReportException e) {
            throw new ValidationException(List.of(new FieldError("body", "is not an SES event record: " + e.getMessage())));
        }
        if (report.isEmpty()) {
            return new Views.RecordedBody("NOT_A_REPORT");
        }
        try {
            return new Views.RecordedBody(feedback.record(report.get()).name());
        } catch (ReportNotYetApplicable e) {
            throw new ConflictException("The report's mail is still being sent: " + e.getMessage() + "; send it again later");
        }
    }
}
