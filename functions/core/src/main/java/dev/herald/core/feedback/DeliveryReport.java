package dev.herald.core.feedback;

import dev.herald.core.model.FeedbackKind;

import java.time.Instant;
import java.util.List;

/**
 * What a provider reported of one mail it accepted: the kind of report, its message id for the
 * mail, the addresses it concerns, when it happened and a short detail without addresses. Herald's
 * own message system, message and chunk come along where the mail carried them as tags (null
 * otherwise), so that the recipient is found with one read.
 */
public record DeliveryReport(FeedbackKind kind, String providerMessageId, List<String> addresses, Instant at,
                             String detail, String messageSystemId, String messageId, Integer chunkIndex) {
}
