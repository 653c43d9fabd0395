package dev.herald.core.render;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles templates in SES's template language (Handlebars, with only SES's helpers and inline
 * partials: {@link SesTemplateLanguage}), so that SES can render the very same template itself.
 * HTML bodies escape the variables they insert; subject and text do not. Templates are limited in
 * size, and their renders in output, time and partial depth ({@link TemplateLimits}).
 */
public final class TemplateRenderer {

    private static final Pattern COMMENT = Pattern.compile("\\{\\{!--.*?--}}|\\{\\{![^}]*}}", Pattern.DOTALL);
    private static final Pattern PARTIAL_CALL = Pattern.compile("\\{\\{~?#?>\\s*(\"[^\"]*\"|'[^']*'|\\[[^]]*]|[^\\s}~]+)");
    private static final Pattern INLINE_PARTIAL = Pattern.compile("\\{\\{~?#\\*\\s*inline\\s+(\"[^\"]*\"|'[^']*')");
    /** Handlebars names an inline template after its object's identity: no use to the caller. */
    private static final Pattern SOURCE_NAME = Pattern.compile("inline@\\p{XDigit}+(:\\d+:\\d+)?:?\\s*");
    private static final Pattern UNKNOWN_HELPER = Pattern.compile("could not find (helper|decorator): '([^']*)'");

    private final TemplateLimits limits;
    private final Handlebars plain;
    private final Handlebars html;

    public TemplateRenderer() {
        this(TemplateLimits.defaults());
    }

    public TemplateRenderer(TemplateLimits limits) {
        this.limits = limits;
        this.plain = language().with(EscapingStrategy.NOOP);
        this.html = language().with(EscapingStrategy.HTML_ENTITY);
    }

    private static Handlebars language() {
        return new Handlebars(new NoPartialFiles()).with(new SesTemplateLanguage());
    }

    /** Compiles all three; the exception lists every template that does not compile. */
    public MessageTemplates compile(String subject, String text, String htmlBody) throws InvalidTemplatesException {
        List<TemplateProblem> problems = new ArrayList<>();
        Template subjectTemplate = compileOne(plain, "subject", subject, problems);
        Template textTemplate = text == null ? null : compileOne(plain, "text", text, problems);
        Template htmlTemplate = htmlBody == null ? null : compileOne(html, "html", htmlBody, problems);
        if (!problems.isEmpty()) {
            throw new InvalidTemplatesException(problems);
        }
        return new MessageTemplates(subjectTemplate, textTemplate, htmlTemplate, limits);
    }

    private Template compileOne(Handlebars handlebars, String field, String source, List<TemplateProblem> problems) {
        if (source.length() > limits.maxSource()) {
            problems.add(new TemplateProblem(field, "template is longer than " + limits.maxSource() + " characters"));
            return null;
        }
        String undefined = undefinedPartials(source);
        if (undefined != null) {
            problems.add(new TemplateProblem(field, undefined));
            return null;
        }
        try {
            return handlebars.compileInline(source);
        } catch (HandlebarsException e) {
            problems.add(new TemplateProblem(field, reason(e)));
        } catch (IOException | RuntimeException e) {
            problems.add(new TemplateProblem(field, "template does not compile"));
        }
        return null;
    }

    /**
     * Every partial a template calls must be one it defines inline: SES has no other partials, and
     * Herald never loads one from a file. Comments are skipped; a computed partial name is refused.
     */
    private static String undefinedPartials(String source) {
        String code = COMMENT.matcher(source).replaceAll("");
        Set<String> defined = new LinkedHashSet<>();
        Matcher definition = INLINE_PARTIAL.matcher(code);
        while (definition.find()) {
            defined.add(unquote(definition.group(1)));
        }
        Matcher call = PARTIAL_CALL.matcher(code);
        while (call.find()) {
            String name = call.group(1);
            if (name.startsWith("(")) {
                return "calls a partial by a computed name; name an inline partial the template defines";
            }
            if (!defined.contains(unquote(name))) {
                return "calls the partial '" + unquote(name) + "', which the template does not define: define it with "
                        + "{{#*inline \"" + unquote(name) + "\"}}...{{/inline}} (partials are never loaded from files)";
            }
        }
        return null;
    }

    private static String unquote(String name) {
        boolean quoted = name.length() >= 2 && (name.startsWith("\"") || name.startsWith("'") || name.startsWith("["));
        return quoted ? name.substring(1, name.length() - 1) : name;
    }

    /** Handlebars' finding in the API's words: where, and what, without its internal names. */
    private static String reason(HandlebarsException e) {
        var error = e.getError();
        String found = error != null ? error.reason : e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        Matcher helper = UNKNOWN_HELPER.matcher(found == null ? "" : found);
        String reason = helper.find()
                ? "uses '" + helper.group(2) + "', which is not part of SES's template language (" + SesTemplateLanguage.DESCRIPTION + ")"
                : SOURCE_NAME.matcher(found == null ? "" : found).replaceAll("");
        return error == null ? "template does not compile: " + reason
                : "template does not compile: line " + error.line + ", column " + error.column + ": " + reason;
    }

    /** Every template that failed to compile. */
    public static final class InvalidTemplatesException extends Exception {
        private final List<TemplateProblem> problems;

        InvalidTemplatesException(List<TemplateProblem> problems) {
            super(problems.size() + " template(s) do not compile");
            this.problems = List.copyOf(problems);
        }

        public List<TemplateProblem> problems() {
            return problems;
        }
    }
}
