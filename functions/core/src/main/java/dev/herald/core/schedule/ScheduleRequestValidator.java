package dev.herald.core.schedule;

import dev.herald.core.access.Caller;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.AudienceList;
import dev.herald.core.model.DeliveryGuarantee;
import dev.herald.core.model.ListMember;
import dev.herald.core.model.ListState;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Page;
import dev.herald.core.model.SendWindows;
import dev.herald.core.port.Store;
import dev.herald.core.port.TransportFactory;
import dev.herald.core.render.MessageTemplates;
import dev.herald.core.render.TemplateProblem;
import dev.herald.core.render.TemplateRenderException;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.rules.AddressRules;
import dev.herald.core.rules.TextRules;
import dev.herald.core.rules.TimeZoneRules;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the meaning of a schedule request and names every field at fault. Runs before anything
 * is stored.
 */
final class ScheduleRequestValidator {

    private final Store store;
    private final TransportFactory transports;
    /** Stands for a recipient's unsubscribe link while intake renders: no character in it is escaped in HTML. */
    private static final String LINK_PLACEHOLDER = "https://unsubscribe.invalid/herald-link-check";
    /** Members of a named list the templates are rendered for at intake. */
    private static final int LIST_SAMPLE = 100;
    /** Who the unsubscribe link is checked for when a named list has no members yet. */
    private static final int MAX_DAILY_CAP = 100_000_000;
    /** Members read at a time when a local-time message reads its whole list. */
    private static final int MEMBER_PAGE = 1_000;
    private static final RecipientInput STAND_IN = new RecipientInput("member@example.com", null, Map.of());
    private final TemplateRenderer renderer;
    private final SendTimeResolver sendTimes;
    private final SchedulingLimits limits;

    ScheduleRequestValidator(Store store, TransportFactory transports, TemplateRenderer renderer,
                             SendTimeResolver sendTimes, SchedulingLimits limits) {
        this.store = store;
        this.transports = transports;
        this.renderer = renderer;
        this.sendTimes = sendTimes;
        this.limits = limits;
    }

    ValidatedRequest validate(Caller caller, ScheduleRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Optional<LocalDateTime> localSendAt = request.isLocalTime()
                ? sendTimes.resolveLocal(request.sendAt(), request.timeZone(), errors) : Optional.empty();
        Optional<SendTime> sendTime = request.isLocalTime() ? Optional.empty()
                : sendTimes.resolve(request.sendAt(), request.timeZone(), errors);
        MessageSystem system = checkMessageSystem(request.messageSystem(), errors);
        DeliveryGuarantee delivery = checkDelivery(request.delivery(), errors);
        MessageTemplates templates = checkTemplates(request, errors);
        String unsubscribeUrl = system != null && system.unsubscribe().enabled() ? LINK_PLACEHOLDER : null;
        AudienceList list = null;
        List<RecipientInput> listMembers = List.of();
        List<RecipientInput> recipients;
        if (request.list() == null) {
            recipients = checkRecipients(request.recipients(), templates, unsubscribeUrl, errors);
        } else {
            if (request.recipients() != null && !request.recipients().isEmpty()) {
                errors.add(new FieldError("recipients", "must be left out when the message names a list"));
            }
            list = checkList(caller, request.list(), request.messageSystem(), errors);
            // The members are read when the message first fires (a local-time message's, now); a first page stands for
            // them in the templates' check.
            listMembers = list != null && localSendAt.isPresent() ? membersOf(list, errors) : List.of();
            recipients = list == null ? List.of() : listMembers.isEmpty() ? sampleOf(list)
                    : listMembers.subList(0, Math.min(LIST_SAMPLE, listMembers.size()));
            checkSample(recipients, templates, unsubscribeUrl, errors);
        }
        List<LocalTimeGroups.Group> localGroups = List.of();
        Optional<ZoneId> fallbackZone = TimeZoneRules.zone(request.timeZone());
        if (localSendAt.isPresent() && fallbackZone.isPresent()) {
            List<RecipientInput> audience = list == null ? recipients : listMembers;
            List<RecipientInput> placed = audience.stream()
                    .filter(r -> r.timeZone() == null || TimeZoneRules.zone(r.timeZone()).isPresent()).toList();
            if (!placed.isEmpty()) {
                localGroups = sendTimes.localGroups(localSendAt.get(), fallbackZone.get(), placed, errors);
            }
            if (!localGroups.isEmpty()) {
                sendTime = Optional.of(sendTimes.sendTimeOf(localGroups.get(0).instant(), request.timeZone()));
            }
        }
        // A local-time message's last group is sent last: a send-by limit comes after it, and it is scheduled unless due.
        Optional<SendTime> lastSendTime = localGroups.isEmpty() ? sendTime
                : Optional.of(sendTimes.sendTimeOf(localGroups.get(localGroups.size() - 1).instant(), request.timeZone()));
        Optional<Instant> sendBy = sendTimes.resolveSendBy(request.sendBy(), request.timeZone(), lastSendTime.orElse(null),
                errors);
        checkScheduledSendsAllowed(system, lastSendTime, errors);
        if (system != null && system.unsubscribe().requireLinkInHtml() && templates != null && request.html() != null) {
            checkUnsubscribeLink(system, templates, recipients.isEmpty() ? STAND_IN : recipients.get(0), errors);
        }
        Optional<SendWindows> windows = request.sendWindows() == null ? Optional.empty()
                : SendWindowsRules.check("sendWindows", request.sendWindows(), errors);
        // Without windows of its own, the message is sent in its system's.
        Optional<SendWindows> systemWindows = Optional.ofNullable(system).map(s -> s.scheduling().sendWindows());
        if (sendTime.isPresent() && (windows.isPresent() || request.sendWindows() == null && systemWindows.isPresent())) {
            SendWindowsRules.checkOpensBefore(windows.isPresent() ? "sendWindows" : "sendBy",
                    windows.orElseGet(systemWindows::get), sendTime.get().instant(), sendBy.orElse(null), errors);
        }
        if (request.dailyCap() != null && (request.dailyCap() < limits.chunkSize() || request.dailyCap() > MAX_DAILY_CAP)) {
            errors.add(new FieldError("dailyCap", "must be from " + limits.chunkSize() + " (one chunk of recipients) to "
                    + MAX_DAILY_CAP));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        ScheduleRequest normalized = new ScheduleRequest(request.messageSystem(), request.subject(), request.text(),
                request.html(), list == null ? recipients : List.of(), request.sendAt(), request.timeZone(), request.sendBy(),
                request.delivery(), request.list(), request.sendWindows(), request.dailyCap(), request.localTime());
        return new ValidatedRequest(normalized, system, sendTime.orElseThrow(), sendBy.orElse(null), delivery, list,
                windows.orElse(null), request.dailyCap(), localSendAt.orElse(null), localGroups);
    }

    /**
     * Every member of the list, for a local-time message: each member's zone decides which of its tasks sends to them,
     * so the list is read when the message is scheduled (as many members as a message may have recipients).
     */
    private List<RecipientInput> membersOf(AudienceList list, List<FieldError> errors) {
        if (list.memberCount() > limits.maxRecipients()) {
            errors.add(new FieldError("list", "has " + list.memberCount() + " members; a local-time message reads its list"
                    + " when it is scheduled, at most " + limits.maxRecipients() + " members"));
            return List.of();
        }
        List<RecipientInput> members = new ArrayList<>();
        String cursor = null;
        do {
            Page<ListMember> page = store.listMembers(list.id(), cursor, MEMBER_PAGE);
            page.items().forEach(m -> members.add(new RecipientInput(m.email(), m.name(), m.data(), m.timeZone())));
            cursor = page.nextCursor();
        } while (cursor != null);
        if (members.isEmpty()) {
            errors.add(new FieldError("list", "has no members: a local-time message is scheduled for its members' zones"));
        }
        return members;
    }

    /** The list the caller may name for this message system, or the fault added to {@code errors}. */
    private AudienceList checkList(Caller caller, String listId, String messageSystemId, List<FieldError> errors) {
        Optional<AudienceList> found = store.findList(listId)
                .filter(l -> caller.isAdmin() || l.ownerId().equals(caller.id()));
        if (found.isEmpty()) {
            errors.add(new FieldError("list", "unknown list '" + listId + "'"));
            return null;
        }
        AudienceList list = found.get();
        if (list.state() == ListState.DELETING) {
            errors.add(new FieldError("list", "list '" + listId + "' is being deleted"));
            return null;
        }
        if (messageSystemId != null && !list.messageSystemId().equals(messageSystemId)) {
            errors.add(new FieldError("list", "list '" + listId + "' belongs to message system '"
                    + list.messageSystemId() + "', not '" + messageSystemId + "'"));
            return null;
        }
        return list;
    }

    private List<RecipientInput> sampleOf(AudienceList list) {
        return store.listMembers(list.id(), null, LIST_SAMPLE).items().stream()
                .map(m -> new RecipientInput(m.email(), m.name(), m.data())).toList();
    }

    /** Renders the templates for the sample of a list's members, naming the member at fault by address. */
    private static void checkSample(List<RecipientInput> sample, MessageTemplates templates, String unsubscribeUrl,
                                    List<FieldError> errors) {
        for (int i = 0; templates != null && i < sample.size(); i++) {
            RecipientInput member = sample.get(i);
            if (!checkRendering(templates, MessageTemplates.variables(member.email(), member.name(), member.data(),
                    unsubscribeUrl), "list", "the list's member " + (i + 1), i == 0, errors)) {
                return;
            }
        }
    }

    private MessageSystem checkMessageSystem(String id, List<FieldError> errors) {
        if (id == null || id.isBlank()) {
            errors.add(new FieldError("messageSystem", "is required"));
            return null;
        }
        Optional<MessageSystem> found = store.findMessageSystem(id);
        if (found.isEmpty()) {
            errors.add(new FieldError("messageSystem", "unknown message system '" + id + "'"));
            return null;
        }
        MessageSystem system = found.get();
        if (!system.enabled()) {
            errors.add(new FieldError("messageSystem", "message system '" + id + "' is disabled"));
        } else if (!transports.supportedKinds().contains(system.transport())) {
            errors.add(new FieldError("messageSystem", "message system '" + id + "' uses transport '"
                    + system.transport().wireName() + "', which this runtime cannot send through"));
        } else if (system.transport().requiresJobAccount() && !system.hasJobAccount()) {
            errors.add(new FieldError("messageSystem", "message system '" + id
                    + "' needs a job account before it can send"));
        }
        return system;
    }

    private static void checkScheduledSendsAllowed(MessageSystem system, Optional<SendTime> sendTime, List<FieldError> errors) {
        if (system != null && sendTime.isPresent() && !sendTime.get().immediate() && !system.scheduling().enabled()) {
            errors.add(new FieldError("sendAt", "message system '" + system.id()
                    + "' does not allow scheduled sends; omit sendAt to send now"));
        }
    }

    private static DeliveryGuarantee checkDelivery(String delivery, List<FieldError> errors) {
        if (delivery == null) {
            return DeliveryGuarantee.AT_LEAST_ONCE;
        }
        String normalized = delivery.toUpperCase(Locale.ROOT).replace('-', '_');
        for (DeliveryGuarantee guarantee : DeliveryGuarantee.values()) {
            if (guarantee.name().equals(normalized)) {
                return guarantee;
            }
        }
        errors.add(new FieldError("delivery", "must be 'at-least-once' or 'at-most-once'"));
        return null;
    }

    private MessageTemplates checkTemplates(ScheduleRequest request, List<FieldError> errors) {
        boolean templatesPresent = true;
        if (request.subject() == null || request.subject().isBlank()) {
            errors.add(new FieldError("subject", "is required"));
            templatesPresent = false;
        } else {
            Optional<String> controls = TextRules.problemWithControls(request.subject(), true);
            if (controls.isPresent()) {
                errors.add(new FieldError("subject", controls.get()));
                templatesPresent = false;
            }
        }
        if (isBlank(request.text()) && isBlank(request.html())) {
            errors.add(new FieldError("text", "a text or an html body is required"));
            templatesPresent = false;
        }
        if (!templatesPresent) {
            return null;
        }
        try {
            return renderer.compile(request.subject(), request.text(), request.html());
        } catch (TemplateRenderer.InvalidTemplatesException e) {
            for (TemplateProblem problem : e.problems()) {
                errors.add(new FieldError(problem.field(), problem.message()));
            }
            return null;
        }
    }

    /** The recipients with their addresses as Herald keeps them, or the fields at fault added to {@code errors}. */
    private List<RecipientInput> checkRecipients(List<RecipientInput> recipients, MessageTemplates templates,
                                                 String unsubscribeUrl, List<FieldError> errors) {
        if (recipients == null || recipients.isEmpty()) {
            errors.add(new FieldError("recipients", "at least one recipient is required"));
            return List.of();
        }
        if (recipients.size() > limits.maxRecipients()) {
            errors.add(new FieldError("recipients", "has " + recipients.size() + " recipients; at most "
                    + limits.maxRecipients() + " are allowed in one message"));
            return List.of();
        }
        List<RecipientInput> normalized = new ArrayList<>(recipients.size());
        Map<String, Integer> firstIndexByAddress = new HashMap<>();
        long renderDeadline = System.nanoTime() + limits.intakeRenderTime().toNanos();
        boolean rendered = false;
        for (int i = 0; i < recipients.size(); i++) {
            RecipientInput recipient = recipients.get(i);
            String path = "recipients[" + i + "]";
            if (recipient == null) {
                errors.add(new FieldError(path, "must be an object"));
                continue;
            }
            AddressRules.Checked address = AddressRules.check(recipient.email());
            if (!address.isValid()) {
                errors.add(new FieldError(path + ".email", address.problem()));
            }
            Optional<String> nameProblem = AddressRules.problemWithDisplayName(recipient.name());
            nameProblem.ifPresent(p -> errors.add(new FieldError(path + ".name", p)));
            if (recipient.timeZone() != null) {
                TimeZoneRules.problemWithZone(recipient.timeZone())
                        .ifPresent(p -> errors.add(new FieldError(path + ".timeZone", p)));
            }
            if (address.isValid()) {
                recipient = new RecipientInput(address.address(), recipient.name(), recipient.data(), recipient.timeZone());
                normalized.add(recipient);
                Integer first = firstIndexByAddress.putIfAbsent(address.key(), i);
                if (first != null) {
                    errors.add(new FieldError(path + ".email", "duplicates recipients[" + first + "].email"));
                }
                if (templates != null && nameProblem.isEmpty()) {
                    if (System.nanoTime() > renderDeadline) {
                        errors.add(new FieldError("subject", "takes longer than " + limits.intakeRenderTime().toSeconds()
                                + " s to render for all recipients"));
                        templates = null;
                    } else if (!checkRendering(templates, MessageTemplates.variables(recipient.email(), recipient.name(),
                            recipient.data(), unsubscribeUrl), path + ".data", path, !rendered, errors)) {
                        templates = null;
                    }
                    rendered = true;
                }
            }
        }
        return normalized;
    }

    /**
     * Renders the subject for a recipient (all three templates for the first): data must not smuggle a
     * line break into the subject header, and every template must render within its limits. Answers
     * whether the templates are worth rendering for the next recipient.
     */
    private static boolean checkRendering(MessageTemplates templates, Map<String, Object> variables, String dataField,
                                          String who, boolean everyTemplate, List<FieldError> errors) {
        try {
            String subject = everyTemplate ? templates.render(variables).subject() : templates.renderSubject(variables);
            TextRules.problemWithControls(subject, true).ifPresent(problem ->
                    errors.add(new FieldError(dataField, "renders a subject that " + problem + " (for " + who + ")")));
            return true;
        } catch (TemplateRenderException e) {
            errors.add(new FieldError(e.field(), e.reason() + " (for " + who + ")"));
            return false;
        }
    }

    /** The HTML body, rendered for the first recipient, must show the unsubscribe link where the system says so. */
    private static void checkUnsubscribeLink(MessageSystem system, MessageTemplates templates, RecipientInput first,
                                             List<FieldError> errors) {
        String html;
        try {
            html = templates.render(MessageTemplates.variables(first.email(), first.name(), first.data(),
                    LINK_PLACEHOLDER)).html();
        } catch (TemplateRenderException reportedAlready) {
            return;
        }
        if (html == null || !html.contains(LINK_PLACEHOLDER)) {
            errors.add(new FieldError("html", "must show the unsubscribe link, {{" + MessageTemplates.UNSUBSCRIBE_URL
                    + "}}: message system '" + system.id() + "' requires it in HTML bodies"));
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
