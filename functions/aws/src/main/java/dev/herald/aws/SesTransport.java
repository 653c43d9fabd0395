package dev.herald.aws;

import dev.herald.core.feedback.MessageTags;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import dev.herald.core.storage.Documents;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntry;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntryResult;
import software.amazon.awssdk.services.sesv2.model.EmailTemplateContent;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageHeader;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.SendQuota;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Sends through SES v2: one recipient with {@code SendEmail}, several with {@code SendBulkEmail},
 * the templates inline and each recipient's data as template data, so that SES renders them itself
 * (Herald does not render them too), and each recipient's list headers as its own headers
 * ({@code ListManagementOptions} exists only for single sends, and for SES's own contact lists).
 * Every mail goes through the message system's configuration set, or else the stack's, tagged with
 * its message system, message and chunk: SES's events about it carry those tags back. Each entry's status becomes a delivery: throttling and quota
 * statuses slow the send down, temporary ones are retried, the rest are recorded as failed.
 * Recipients are addressed by bare address (their name stays a template variable); the sender
 * carries its display name.
 */
final class SesTransport implements Transport {

    /** SES accepts at most 50 entries in one SendBulkEmail call. */
    private static final int BULK_LIMIT = 50;
    private static final Logger LOG = LoggerFactory.getLogger(SesTransport.class);
    private final Documents json = new Documents();
    private final SesV2Client ses;
    private final MessageSystem system;
    private final String configurationSet;
    private final boolean ownsClient;

    SesTransport(SesV2Client ses, MessageSystem system, String defaultConfigurationSet, boolean ownsClient) {
        this.ses = ses;
        this.system = system;
        this.configurationSet = system.ses() != null && system.ses().configurationSet() != null
                ? system.ses().configurationSet() : defaultConfigurationSet;
        this.ownsClient = ownsClient;
    }

    @Override
    public int maxBatchSize() {
        return BULK_LIMIT;
    }

    /** The account's sending quota ({@code GetAccount}), or nothing when SES will not tell. */
    @Override
    public OptionalDouble providerSendRate() {
        try {
            SendQuota quota = ses.getAccount(r -> { }).sendQuota();
            return quota == null || quota.maxSendRate() == null || quota.maxSendRate() <= 0 ? OptionalDouble.empty()
                    : OptionalDouble.of(quota.maxSendRate());
        } catch (SdkException e) {
            LOG.warn("SES GetAccount failed ({}); message system '{}' sends at the default rate", e.getMessage(), system.id());
            return OptionalDouble.empty();
        }
    }

    @Override
    public List<Delivery> send(MailBatch batch) {
        try {
            return batch.mails().size() == 1 ? List.of(sendOne(batch, batch.mails().get(0))) : sendBulk(batch);
        } catch (SdkException e) {
            Delivery failure = forException(e);
            return batch.mails().stream().map(m -> failure).toList();
        }
    }

    private Delivery sendOne(MailBatch batch, OutgoingMail mail) {
        String messageId = ses.sendEmail(r -> r.fromEmailAddress(address(batch.from()))
                .replyToAddresses(replyTo(batch))
                .destination(d -> d.toAddresses(mail.to().email()))
                .content(c -> c.template(t -> t.templateContent(templates(batch))
                        .templateData(json.write(mail.templateData())).headers(headers(mail))))
                .emailTags(tags(batch))
                .configurationSetName(configurationSet)).messageId();
        return Delivery.delivered(messageId);
    }

    @Override
    public boolean rendersTemplates() {
        return true;
    }

    /**
     * SES answers a call in tens of milliseconds: above a few hundred mails a second, one call at a
     * time cannot keep up, so up to eight go at once (the rate gate still decides how many mails).
     */
    @Override
    public int maxConcurrentCalls() {
        return 8;
    }

    private List<Delivery> sendBulk(MailBatch batch) {
        List<BulkEmailEntry> entries = batch.mails().stream().map(mail -> BulkEmailEntry.builder()
                .destination(d -> d.toAddresses(mail.to().email()))
                .replacementEmailContent(c -> c.replacementTemplate(t -> t.replacementTemplateData(json.write(mail.templateData()))))
                .replacementHeaders(headers(mail))
                .build()).toList();
        List<BulkEmailEntryResult> results = ses.sendBulkEmail(r -> r.fromEmailAddress(address(batch.from()))
                .replyToAddresses(replyTo(batch))
                .defaultContent(c -> c.template(t -> t.templateContent(templates(batch)).templateData("{}")))
                .bulkEmailEntries(entries)
                .defaultEmailTags(tags(batch))
                .configurationSetName(configurationSet)).bulkEmailEntryResults();
        List<Delivery> deliveries = new ArrayList<>(results.size());
        for (BulkEmailEntryResult result : results) {
            deliveries.add(forStatus(result));
        }
        return deliveries;
    }

    private static Delivery forStatus(BulkEmailEntryResult result) {
        String error = result.statusAsString() + (result.error() == null ? "" : ": " + result.error());
        return switch (result.status()) {
            case SUCCESS -> Delivery.delivered(result.messageId());
            case ACCOUNT_THROTTLED, ACCOUNT_DAILY_QUOTA_EXCEEDED -> Delivery.throttled(error);
            case TRANSIENT_FAILURE -> Delivery.transientFailure(error);
            default -> Delivery.permanent(error);
        };
    }

    private static Delivery forException(SdkException e) {
        String code = e instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() : e.getClass().getSimpleName();
        if (e instanceof TooManyRequestsException || e instanceof LimitExceededException
                || (e instanceof AwsServiceException service && service.isThrottlingException())) {
            return Delivery.throttled(code);
        }
        if (e instanceof MessageRejectedException || e instanceof MailFromDomainNotVerifiedException
                || e instanceof AccountSuspendedException || e instanceof SendingPausedException
                || e instanceof BadRequestException) {
            return Delivery.permanent(code + ": " + e.getMessage());
        }
        return Delivery.transientFailure(code);
    }

    /** The message's templates, inline: SES renders each mail from them. */
    private static EmailTemplateContent templates(MailBatch batch) {
        return EmailTemplateContent.builder().subject(batch.subjectTemplate()).text(batch.textTemplate())
                .html(batch.htmlTemplate()).build();
    }

    /** The recipient's list headers: SES adds them to the mail it builds (per entry in a bulk send). */
    private static List<MessageHeader> headers(OutgoingMail mail) {
        return mail.headers().stream().map(h -> MessageHeader.builder().name(h.name()).value(h.value()).build()).toList();
    }

    /** Where SES's events about these mails lead back to their recipients (see {@link MessageTags}). */
    private List<MessageTag> tags(MailBatch batch) {
        return List.of(tag(MessageTags.MESSAGE_SYSTEM, system.id()), tag(MessageTags.MESSAGE, batch.messageId()),
                tag(MessageTags.CHUNK, Integer.toString(batch.chunkIndex())));
    }

    private static MessageTag tag(String name, String value) {
        return MessageTag.builder().name(name).value(value).build();
    }

    private static List<String> replyTo(MailBatch batch) {
        return batch.replyTo() == null ? null : List.of(batch.replyTo());
    }

    /** "Name <address>" with the name RFC 2047-encoded where needed, as SES expects. */
    private static String address(Mailbox mailbox) {
        if (mailbox.name() == null || mailbox.name().isEmpty()) {
            return mailbox.email();
        }
        try {
            return new InternetAddress(mailbox.email(), mailbox.name(), StandardCharsets.UTF_8.name()).toString();
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is part of every JRE", e);
        }
    }

    @Override
    public void close() {
        if (ownsClient) {
            ses.close();
        }
    }
}
