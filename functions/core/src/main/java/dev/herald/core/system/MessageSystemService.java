package dev.herald.core.system;

import dev.herald.core.access.Caller;
import dev.herald.core.error.ConflictException;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.NotFoundException;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.JobAccount;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Scheduling;
import dev.herald.core.model.SendWindows;
import dev.herald.core.model.SesSettings;
import dev.herald.core.model.SmtpSecurity;
import dev.herald.core.model.SmtpSettings;
import dev.herald.core.model.TransportKind;
import dev.herald.core.model.UnsubscribeSettings;
import dev.herald.core.port.Cipher;
import dev.herald.core.port.Store;
import dev.herald.core.port.TransportFactory;
import dev.herald.core.rules.AddressRules;
import dev.herald.core.rules.HostRules;
import dev.herald.core.rules.TextRules;
import dev.herald.core.schedule.SendWindowsRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Manages message systems and their job accounts; admins only. */
public final class MessageSystemService {

    static final double MAX_SEND_RATE = 100_000;
    private static final int MIN_DAILY_CAP = 100;
    private static final int MAX_DAILY_CAP = 100_000_000;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /**
     * The rule of EventBridge Scheduler schedule group names (64 characters), less room for a
     * deployment's prefix, so that a category can name a group.
     */
    private static final Pattern CATEGORY = Pattern.compile("[0-9a-zA-Z_.-]{1,40}");
    private static final Duration MIN_LATENESS = Duration.ofSeconds(1);
    private static final Duration MAX_LATENESS = Duration.ofDays(365);
    /** An AWS region's code: eu-west-1, us-gov-west-1, ap-southeast-3. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    /** SES's rule for configuration set names. */
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_NAME = 256;
    private static final int MAX_PASSWORD = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(MessageSystemService.class);

    private final Store store;
    private final JobAccounts jobAccounts;
    private final TransportFactory transports;
    private final Clock clock;

    public MessageSystemService(Store store, Cipher cipher, TransportFactory transports, Clock clock) {
        this.store = store;
        this.jobAccounts = new JobAccounts(cipher);
        this.transports = transports;
        this.clock = clock;
    }

    public MessageSystem create(Caller caller, MessageSystemSpec spec) {
        caller.requireAdmin();
        MessageSystem system = validate(spec, spec.id(), null);
        if (!store.insertMessageSystem(system)) {
            throw new ConflictException("A message system with id '" + spec.id() + "' exists already.");
        }
        LOG.info("Created message system {} ({})", system.id(), system.transport().wireName());
        return system;
    }

    /** Creates the system unless one with its id exists: how runtimes seed their defaults. */
    public void createIfAbsent(MessageSystemSpec spec) {
        if (store.findMessageSystem(spec.id()).isEmpty()) {
            store.insertMessageSystem(validate(spec, spec.id(), null));
        }
    }

    public List<MessageSystem> list(Caller caller) {
        caller.requireAdmin();
        return store.listMessageSystems();
    }

    public MessageSystem get(Caller caller, String id) {
        caller.requireAdmin();
        return find(id);
    }

    /** Replaces the settings; the job account is kept (it is set on its own endpoint). */
    public MessageSystem update(Caller caller, String id, MessageSystemSpec spec) {
        caller.requireAdmin();
        if (spec.id() != null && !spec.id().equals(id)) {
            throw ValidationException.of("id", "must match the id in the path ('" + id + "') or be omitted");
        }
        MessageSystem existing = find(id);
        MessageSystem changed = validate(spec, id, existing);
        return store.updateMessageSystem(changed).orElseThrow(() ->
                new ConflictException("Message system '" + id + "' was changed concurrently; read it and try again."));
    }

    public void delete(Caller caller, String id) {
        caller.requireAdmin();
        MessageSystem existing = find(id);
        if (store.hasUnfinishedMessages(id)) {
            throw new ConflictException("Message system '" + id + "' still has messages scheduled or sending; "
                    + "cancel them or wait until they are sent.");
        }
        if (!store.deleteMessageSystem(id, existing.version())) {
            throw new ConflictException("Message system '" + id + "' was changed concurrently; try again.");
        }
        LOG.info("Deleted message system {}", id);
    }

    /** Sets the job account; the password is encrypted here and never returned. */
    public MessageSystem setJobAccount(Caller caller, String id, String name, String password) {
        caller.requireAdmin();
        List<FieldError> errors = new ArrayList<>();
        checkName("name", name, errors);
        if (password == null || password.isEmpty()) {
            errors.add(new FieldError("password", "is required"));
        } else if (password.length() > MAX_PASSWORD) {
            errors.add(new FieldError("password", "is longer than " + MAX_PASSWORD + " characters"));
        } else if (password.indexOf('\0') >= 0) {
            // SMTP AUTH PLAIN separates the user name from the password with NUL.
            errors.add(new FieldError("password", "must not contain a NUL character (U+0000)"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return replaceJobAccount(id, jobAccounts.seal(id, name, password));
    }

    public MessageSystem removeJobAccount(Caller caller, String id) {
        caller.requireAdmin();
        return replaceJobAccount(id, null);
    }

    private MessageSystem replaceJobAccount(String id, JobAccount account) {
        while (true) {
            MessageSystem existing = find(id);
            Optional<MessageSystem> updated = store.updateMessageSystem(existing.withJobAccount(account, clock.instant()));
            if (updated.isPresent()) {
                LOG.info("{} the job account of message system {}", account == null ? "Removed" : "Set", id);
                return updated.get();
            }
        }
    }

    private MessageSystem find(String id) {
        return store.findMessageSystem(id)
                .orElseThrow(() -> new NotFoundException("No message system '" + id + "'."));
    }

    private MessageSystem validate(MessageSystemSpec spec, String id, MessageSystem existing) {
        List<FieldError> errors = new ArrayList<>();
        if (id == null || !ID.matcher(id).matches()) {
            errors.add(new FieldError("id", "must be 1-63 lowercase letters, digits or dashes, starting with a letter or digit"));
        }
        checkName("name", spec.name(), errors);
        TransportKind transport = null;
        if (spec.transport() == null) {
            errors.add(new FieldError("transport", "is required"));
        } else {
            transport = TransportKind.fromWireName(spec.transport()).orElse(null);
            if (transport == null) {
                errors.add(new FieldError("transport", "must be one of " + Arrays.stream(TransportKind.values())
                        .map(TransportKind::wireName).toList()));
            } else if (!transports.supportedKinds().contains(transport)) {
                errors.add(new FieldError("transport", "'" + spec.transport() + "' is not available in this runtime"));
            }
        }
        String from = address("from", spec.from(), errors);
        AddressRules.problemWithDisplayName(spec.fromName()).ifPresent(p -> errors.add(new FieldError("fromName", p)));
        String replyTo = spec.replyTo() == null ? null : address("replyTo", spec.replyTo(), errors);
        Double rate = spec.maxSendRate();
        if (rate != null && !(rate > 0 && rate <= MAX_SEND_RATE)) {
            errors.add(new FieldError("maxSendRate", "must be above 0 and at most " + (long) MAX_SEND_RATE + " per second"));
        }
        SmtpSettings smtp = transport == TransportKind.SMTP ? smtpSettings(spec.smtp(), errors) : null;
        SesSettings ses = transport == TransportKind.SES && spec.ses() != null ? sesSettings(spec.ses(), errors) : null;
        Scheduling scheduling = scheduling(spec.scheduling(), errors);
        UnsubscribeSettings unsubscribe = unsubscribe(spec.unsubscribe(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        Instant now = clock.instant();
        return new MessageSystem(id, spec.name(), spec.enabled() == null || spec.enabled(), transport,
                new Mailbox(from, spec.fromName()), replyTo, rate, smtp, ses, scheduling,
                unsubscribe, existing == null ? null : existing.jobAccount(),
                existing == null ? now : existing.createdAt(), now, existing == null ? 0 : existing.version());
    }

    private static SmtpSettings smtpSettings(MessageSystemSpec.Smtp smtp, List<FieldError> errors) {
        if (smtp == null) {
            errors.add(new FieldError("smtp", "is required for transport 'smtp'"));
            return null;
        }
        String host = null;
        if (smtp.host() == null || smtp.host().isBlank()) {
            errors.add(new FieldError("smtp.host", "is required"));
        } else {
            host = HostRules.normalized(smtp.host()).orElse(null);
            if (host == null) {
                errors.add(new FieldError("smtp.host", "must be a host name (labels of letters, digits and hyphens), "
                        + "an IPv4 address or an IPv6 address in brackets, without a port"));
            }
        }
        SmtpSecurity security = SmtpSecurity.STARTTLS;
        if (smtp.security() != null) {
            try {
                security = SmtpSecurity.valueOf(smtp.security().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("smtp.security", "must be one of starttls, tls, none"));
            }
        }
        int port = smtp.port() != null ? smtp.port() : security == SmtpSecurity.TLS ? 465 : 587;
        if (port < 1 || port > 65535) {
            errors.add(new FieldError("smtp.port", "must be between 1 and 65535"));
        }
        return new SmtpSettings(host, port, security);
    }

    private static SesSettings sesSettings(MessageSystemSpec.Ses ses, List<FieldError> errors) {
        if (ses.region() != null && !REGION.matcher(ses.region()).matches()) {
            errors.add(new FieldError("ses.region", "must be an AWS region code such as eu-west-1"));
        }
        if (ses.configurationSet() != null && !CONFIGURATION_SET.matcher(ses.configurationSet()).matches()) {
            errors.add(new FieldError("ses.configurationSet", "must be 1-64 letters, digits, '_' or '-'"));
        }
        return new SesSettings(ses.region(), ses.configurationSet());
    }

    private static void checkName(String field, String name, List<FieldError> errors) {
        TextRules.problemWithName(name, MAX_NAME).ifPresent(p -> errors.add(new FieldError(field, p)));
    }

    /** The address as Herald keeps it, or null with the problem added to {@code errors}. */
    private static String address(String field, String value, List<FieldError> errors) {
        AddressRules.Checked checked = AddressRules.check(value);
        if (!checked.isValid()) {
            errors.add(new FieldError(field, checked.problem()));
        }
        return checked.address();
    }

    private static Scheduling scheduling(MessageSystemSpec.SchedulingSpec spec, List<FieldError> errors) {
        boolean enabled = spec == null || spec.enabled() == null || spec.enabled();
        String category = spec == null || spec.category() == null ? "default" : spec.category();
        if (!CATEGORY.matcher(category).matches()) {
            errors.add(new FieldError("scheduling.category", "must be 1-40 letters, digits, '.', '_' or '-'"));
        }
        SendWindows windows = spec == null || spec.sendWindows() == null ? null
                : SendWindowsRules.check("scheduling.sendWindows", spec.sendWindows(), errors).orElse(null);
        Integer dailyCap = spec == null ? null : spec.dailyCap();
        if (dailyCap != null && (dailyCap < MIN_DAILY_CAP || dailyCap > MAX_DAILY_CAP)) {
            errors.add(new FieldError("scheduling.dailyCap", "must be from " + MIN_DAILY_CAP + " (a chunk of recipients) to "
                    + MAX_DAILY_CAP));
        }
        return new Scheduling(enabled, category, maxLateness(spec == null ? null : spec.maxLateness(), errors), windows,
                dailyCap);
    }

    private static UnsubscribeSettings unsubscribe(MessageSystemSpec.UnsubscribeSpec spec, List<FieldError> errors) {
        if (spec == null) {
            return UnsubscribeSettings.DEFAULT;
        }
        boolean enabled = spec.enabled() == null || spec.enabled();
        boolean requireLink = spec.requireLinkInHtml() != null && spec.requireLinkInHtml();
        if (requireLink && !enabled) {
            errors.add(new FieldError("unsubscribe.requireLinkInHtml", "cannot be true while unsubscribe is disabled"));
        }
        return new UnsubscribeSettings(enabled, requireLink);
    }

    private static Duration maxLateness(String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            Duration lateness = Duration.parse(value);
            if (lateness.compareTo(MIN_LATENESS) >= 0 && lateness.compareTo(MAX_LATENESS) <= 0) {
                return lateness;
            }
        } catch (DateTimeParseException notADuration) {
            // reported below
        }
        errors.add(new FieldError("scheduling.maxLateness", "must be an ISO-8601 duration from " + MIN_LATENESS
                + " to " + MAX_LATENESS.toDays() + " days, such as PT2H or P1D"));
        return null;
    }
}
