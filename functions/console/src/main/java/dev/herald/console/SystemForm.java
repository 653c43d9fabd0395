package dev.herald.console;

import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.schedule.SendWindowsInput;
import dev.herald.core.system.MessageSystemSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A message system's settings form, as typed: its inputs are named by the API's field paths
 * ({@code smtp.host}), so that the API's problems land at the input they name; its send windows are
 * typed one a line ({@link WindowLines}), and their problems shown by line.
 */
record SystemForm(Map<String, String> typed) {

    static final List<String> TEXT_FIELDS = List.of("id", "name", "transport", "from", "fromName", "replyTo", "maxSendRate",
            "smtp.host", "smtp.port", "smtp.security", "ses.region", "ses.configurationSet", "scheduling.category",
            "scheduling.maxLateness", "scheduling.dailyCap", "scheduling.sendWindows.timeZone", "sendWindows");
    static final List<String> SWITCHES = List.of("enabled", "scheduling.enabled", "unsubscribe.enabled",
            "unsubscribe.requireLinkInHtml");

    /** The API's problems at this form's fields: a send window's by its line. */
    static Map<String, String> errors(List<FieldError> errors) {
        return FormErrors.byField(errors, FormErrors.atLines("scheduling.sendWindows.windows", "sendWindows"));
    }

    static SystemForm of(Map<String, String> form) {
        Map<String, String> typed = new HashMap<>();
        TEXT_FIELDS.forEach(field -> typed.put(field, form.getOrDefault(field, "").trim()));
        SWITCHES.forEach(field -> typed.put(field, form.containsKey(field) ? "on" : ""));
        return new SystemForm(typed);
    }

    /** A new system's form: the defaults the API would take. */
    static SystemForm blank() {
        Map<String, String> typed = new HashMap<>();
        TEXT_FIELDS.forEach(field -> typed.put(field, ""));
        typed.put("transport", "outbox");
        typed.put("scheduling.category", "default");
        typed.putAll(Map.of("enabled", "on", "scheduling.enabled", "on", "unsubscribe.enabled", "on"));
        return new SystemForm(typed);
    }

    static SystemForm of(MessageSystem system) {
        Map<String, String> typed = new HashMap<>();
        typed.put("id", system.id());
        typed.put("name", system.name());
        typed.put("transport", system.transport().wireName());
        typed.put("from", system.from().email());
        typed.put("fromName", text(system.from().name()));
        typed.put("replyTo", text(system.replyTo()));
        typed.put("maxSendRate", text(system.maxSendRate()));
        typed.put("smtp.host", system.smtp() == null ? "" : system.smtp().host());
        typed.put("smtp.port", system.smtp() == null ? "" : String.valueOf(system.smtp().port()));
        typed.put("smtp.security", system.smtp() == null ? "" : system.smtp().security().name().toLowerCase(Locale.ROOT));
        typed.put("ses.region", system.ses() == null ? "" : text(system.ses().region()));
        typed.put("ses.configurationSet", system.ses() == null ? "" : text(system.ses().configurationSet()));
        typed.put("scheduling.category", system.scheduling().category());
        typed.put("scheduling.maxLateness", text(system.scheduling().maxLateness()));
        typed.put("scheduling.dailyCap", text(system.scheduling().dailyCap()));
        SendWindowsInput windows = SendWindowsInput.of(system.scheduling().sendWindows());
        typed.put("scheduling.sendWindows.timeZone", windows == null ? "" : windows.timeZone());
        typed.put("sendWindows", WindowLines.format(windows));
        typed.put("enabled", system.enabled() ? "on" : "");
        typed.put("scheduling.enabled", system.scheduling().enabled() ? "on" : "");
        typed.put("unsubscribe.enabled", system.unsubscribe().enabled() ? "on" : "");
        typed.put("unsubscribe.requireLinkInHtml", system.unsubscribe().requireLinkInHtml() ? "on" : "");
        return new SystemForm(typed);
    }

    /**
     * The settings this form writes. A number that is not one is a problem at its field before anything else is checked, as a JSON
     * body of the wrong type is in the API.
     */
    MessageSystemSpec spec() {
        List<FieldError> errors = new ArrayList<>();
        Double maxSendRate = number("maxSendRate", Double::valueOf, "must be a number", errors);
        Integer port = number("smtp.port", Integer::valueOf, "must be a whole number", errors);
        Integer dailyCap = number("scheduling.dailyCap", Integer::valueOf, "must be a whole number", errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String transport = typed.get("transport");
        MessageSystemSpec.Smtp smtp = transport.equals("smtp") || !typed.get("smtp.host").isEmpty()
                ? new MessageSystemSpec.Smtp(typed.get("smtp.host"), port, ConsoleForms.blankToNull(typed.get("smtp.security"))) : null;
        MessageSystemSpec.Ses ses = transport.equals("ses") ? new MessageSystemSpec.Ses(ConsoleForms.blankToNull(typed.get("ses.region")),
                ConsoleForms.blankToNull(typed.get("ses.configurationSet"))) : null;
        SendWindowsInput windows = WindowLines.input(typed.get("sendWindows"), typed.get("scheduling.sendWindows.timeZone"));
        return new MessageSystemSpec(ConsoleForms.blankToNull(typed.get("id")), typed.get("name"), on("enabled"), ConsoleForms.blankToNull(transport),
                ConsoleForms.blankToNull(typed.get("from")), ConsoleForms.blankToNull(typed.get("fromName")), ConsoleForms.blankToNull(typed.get("replyTo")), maxSendRate,
                smtp, ses, new MessageSystemSpec.SchedulingSpec(on("scheduling.enabled"), ConsoleForms.blankToNull(typed.get("scheduling.category")),
                ConsoleForms.blankToNull(typed.get("scheduling.maxLateness")), windows, dailyCap),
                new MessageSystemSpec.UnsubscribeSpec(on("unsubscribe.enabled"), on("unsubscribe.requireLinkInHtml")));
    }

    private boolean on(String field) {
        return "on".equals(typed.get(field));
    }

    /** The field's number, null when blank; a problem at the field when it is not a number of its kind. */
    private <N extends Number> N number(String field, Function<String, N> parse, String problem, List<FieldError> errors) {
        String value = typed.get(field);
        if (value.isEmpty()) {
            return null;
        }
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, problem));
            return null;
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
