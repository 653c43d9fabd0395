package dev.herald.core.port;

import dev.herald.core.model.Mailbox;

import java.util.List;
import java.util.Map;

/**
 * One rendered mail to one recipient. {@code recipientKey} is unique within the message and
 * stable across retries, so a transport can name files or deduplicate by it. {@code headers} are
 * this recipient's list headers (unsubscribe, list id), in the order they go out. Subject and
 * bodies are null for a transport whose provider renders them from {@code templateData}.
 */
public record OutgoingMail(String recipientKey, Mailbox to, String subject, String text, String html,
                           Map<String, Object> templateData, List<MailHeader> headers) {
}
