package dev.herald.core.render;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles templates in SES's template language (Handlebars), so that SES can render the very
 * same template itself. HTML bodies escape the variables they insert; subject and text do not.
 */
public final class TemplateRenderer {

    private final Handlebars plain = new Handlebars().with(EscapingStrategy.NOOP);
    private final Handlebars html = new Handlebars().with(EscapingStrategy.HTML_ENTITY);

    /** Compiles all three; the exception lists every template that does not parse. */
    public MessageTemplates compile(String subject, String text, String htmlBody) throws InvalidTemplatesException {
        List<TemplateProblem> problems = new ArrayList<>();
        Template subjectTemplate = compileOne(plain, "subject", subject, problems);
        Template textTemplate = text == null ? null : compileOne(plain, "text", text, problems);
        Template htmlTemplate = htmlBody == null ? null : compileOne(html, "html", htmlBody, problems);
        if (!problems.isEmpty()) {
            throw new InvalidTemplatesException(problems);
        }
        return new MessageTemplates(subjectTemplate, textTemplate, htmlTemplate);
    }

    private static Template compileOne(Handlebars handlebars, String field, String source,
                                       List<TemplateProblem> problems) {
        try {
            return handlebars.compileInline(source);
        } catch (HandlebarsException e) {
            var error = e.getError();
            String where = error == null ? "" : "line " + error.line + ", column " + error.column + ": ";
            String reason = error == null ? e.getMessage() : error.reason;
            problems.add(new TemplateProblem(field, "template does not parse: " + where + reason));
        } catch (IOException | RuntimeException e) {
            problems.add(new TemplateProblem(field, "template does not parse: " + e.getMessage()));
        }
        return null;
    }

    /** Every template that failed to compile. */
    public static final class InvalidTemplatesException extends Exception {
        private final List<TemplateProblem> problems;

        InvalidTemplatesException(List<TemplateProblem> problems) {
            super(problems.size() + " template(s) do not parse");
            this.problems = List.copyOf(problems);
        }

        public List<TemplateProblem> problems() {
            return problems;
        }
    }
}
