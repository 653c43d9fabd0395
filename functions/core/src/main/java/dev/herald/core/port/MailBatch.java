package dev.herald.core.port;

import dev.herald.core.model.Mailbox;

import java.util.List;

/**
 * Mails of one message handed to a transport at once, all of one chunk. The raw templates travel
 * along so that a provider able to render them itself (SES bulk sending) may do so with each
 * mail's data; the message and chunk go along so that a provider may tag its mails with them.
 */
public record MailBatch(String messageId, int chunkIndex, Mailbox from, String replyTo, String subjectTemplate,
                        String textTemplate, String htmlTemplate, List<OutgoingMail> mails) {
}
