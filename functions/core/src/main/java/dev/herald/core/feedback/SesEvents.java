package dev.herald.core.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.core.model.FeedbackKind;
import dev.herald.core.rules.TextRules;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads SES's event records (the format of SES event publishing) as Herald's delivery reports: as
 * EventBridge delivers them (the record in {@code detail}), as SNS does (in {@code Message}), or
 * bare. Bounces, complaints, deliveries, delays, rejections and rendering failures are reports;
 * sends, opens, clicks and subscriptions are not (empty). Details keep SES's classification and
 * SMTP status, never a diagnostic text, which quotes addresses.
 */
public final class SesEvents {

    private static final int MAX_DETAIL = 200;
    private final ObjectMapper json = new ObjectMapper();

    public Optional<DeliveryReport> read(String event) {
        try {
            return readTree(json.readTree(event));
        } catch (JsonProcessingException e) {
            throw new UnreadableReportException("not JSON");
        }
    }

    /** An event a runtime decoded already (Lambda hands the feedback function a map). */
    public Optional<DeliveryReport> read(Map<String, Object> event) {
        return readTree(json.valueToTree(event));
    }

    private Optional<DeliveryReport> readTree(JsonNode root) {
        if (!root.isObject()) {
            throw new UnreadableReportException("not a JSON object");
        }
        JsonNode record = unwrap(root);
        String type = text(record, "eventType").or(() -> text(record, "notificationType"))
                .orElseThrow(() -> new UnreadableReportException("no eventType"));
        JsonNode mail = record.path("mail");
        String providerMessageId = text(mail, "messageId").orElseThrow(() -> new UnreadableReportException("no mail.messageId"));
        return Optional.ofNullable(switch (type) {
            case "Delivery" -> report(FeedbackKind.DELIVERY, record.path("delivery"), "recipients", null,
                    "Delivered" + text(record.path("delivery"), "smtpResponse").map(r -> ": " + statusOf(r)).orElse(""), mail);
            case "Bounce" -> {
                JsonNode bounce = record.path("bounce");
                String bounceType = text(bounce, "bounceType").orElse("Undetermined");
                yield report("Permanent".equals(bounceType) ? FeedbackKind.PERMANENT_BOUNCE : FeedbackKind.TRANSIENT_BOUNCE,
                        bounce, "bouncedRecipients", "emailAddress", bounceType + "/" + text(bounce, "bounceSubType").orElse("")
                                + firstStatus(bounce.path("bouncedRecipients")), mail);
            }
            case "Complaint" -> {
                JsonNode complaint = record.path("complaint");
                yield report(FeedbackKind.COMPLAINT, complaint, "complainedRecipients", "emailAddress",
                        "Complaint" + text(complaint, "complaintFeedbackType").map(t -> ": " + t).orElse(""), mail);
            }
            case "DeliveryDelay" -> {
                JsonNode delay = record.path("deliveryDelay");
                yield report(FeedbackKind.DELIVERY_DELAY, delay, "delayedRecipients", "emailAddress",
                        "Delayed: " + text(delay, "delayType").orElse("") + firstStatus(delay.path("delayedRecipients")), mail);
            }
            case "Reject" -> report(FeedbackKind.REJECT, mail, "destination", null,
                    "Rejected: " + text(record.path("reject"), "reason").orElse(""), mail);
            case "Rendering Failure" -> report(FeedbackKind.RENDERING_FAILURE, mail, "destination", null,
                    "Rendering failed: " + text(record.path("failure"), "errorMessage").orElse(""), mail);
            case "Send", "Open", "Click", "Subscription" -> null;
            default -> throw new UnreadableReportException("unknown eventType '" + TextRules.escaped(type, 40) + "'");
        });
    }

    /** The SES record inside an EventBridge event or an SNS notification, or the record itself. */
    private JsonNode unwrap(JsonNode root) {
        if (root.has("detail") && "aws.ses".equals(root.path("source").asText())) {
            return root.path("detail");
        }
        if ("Notification".equals(root.path("Type").asText()) && root.path("Message").isTextual()) {
            try {
                return json.readTree(root.path("Message").asText());
            } catch (JsonProcessingException e) {
                throw new UnreadableReportException("the SNS notification's Message is not JSON");
            }
        }
        return root;
    }

    private static DeliveryReport report(FeedbackKind kind, JsonNode holder, String recipientsField, String addressField,
                                         String detail, JsonNode mail) {
        List<String> addresses = new ArrayList<>();
        for (JsonNode recipient : holder.path(recipientsField)) {
            JsonNode address = addressField == null ? recipient : recipient.path(addressField);
            if (address.isTextual()) {
                addresses.add(address.asText());
            }
        }
        if (addresses.isEmpty()) {
            throw new UnreadableReportException("no recipient in " + recipientsField);
        }
        Instant at = instant(text(holder, "timestamp").or(() -> text(mail, "timestamp"))
                .orElseThrow(() -> new UnreadableReportException("no timestamp")));
        JsonNode tags = mail.path("tags");
        return new DeliveryReport(kind, text(mail, "messageId").orElseThrow(), List.copyOf(addresses), at,
                TextRules.escaped(detail, MAX_DETAIL), tag(tags, MessageTags.MESSAGE_SYSTEM), tag(tags, MessageTags.MESSAGE),
                chunk(tag(tags, MessageTags.CHUNK)));
    }

    private static String firstStatus(JsonNode recipients) {
        return recipients.isArray() && !recipients.isEmpty()
                ? text(recipients.get(0), "status").map(s -> " " + s).orElse("") : "";
    }

    /** The SMTP reply's code and enhanced status ("250 2.6.0"): the rest may name the mailbox. */
    private static String statusOf(String smtpResponse) {
        String[] words = smtpResponse.trim().split("\\s+");
        return words.length > 1 && words[1].matches("\\d\\.\\d{1,3}\\.\\d{1,3}") ? words[0] + " " + words[1] : words[0];
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new UnreadableReportException("a timestamp is not ISO-8601");
        }
    }

    private static String tag(JsonNode tags, String name) {
        JsonNode values = tags.path(name);
        return values.isArray() && !values.isEmpty() && values.get(0).isTextual() ? values.get(0).asText() : null;
    }

    private static Integer chunk(String value) {
        return value != null && value.matches("\\d{1,9}") ? Integer.valueOf(value) : null;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
