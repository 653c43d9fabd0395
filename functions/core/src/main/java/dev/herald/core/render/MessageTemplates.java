package dev.herald.core.render;

import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Template;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/** The compiled subject, text and HTML templates of one message. Thread-safe. */
public final class MessageTemplates {

    /** The variable holding a recipient's unsubscribe link. */
    public static final String UNSUBSCRIBE_URL = "unsubscribeUrl";

    private final Template subject;
    private final Template text;
    private final Template html;
    private final TemplateLimits limits;

    MessageTemplates(Template subject, Template text, Template html, TemplateLimits limits) {
        this.subject = subject;
        this.text = text;
        this.html = html;
        this.limits = limits;
    }

    /**
     * Renders for one recipient. The variables are the recipient's data plus {@code email} and
     * {@code name}, which win over data keys of the same name. A template that cannot be rendered
     * within its limits fails with {@link TemplateRenderException} naming it.
     */
    public RenderedContent render(String email, String name, Map<String, Object> data) {
        return render(variables(email, name, data));
    }

    /** Renders with the {@link #variables} of one recipient. */
    public RenderedContent render(Map<String, Object> variables) {
        return new RenderedContent(render("subject", subject, variables), render("text", text, variables),
                render("html", html, variables));
    }

    /** The subject alone, as {@link #render} renders it. */
    public String renderSubject(Map<String, Object> variables) {
        return render("subject", subject, variables);
    }

    /** What a template sees of a recipient: its data, and {@code email} and {@code name}, which win over data keys. */
    public static Map<String, Object> variables(String email, String name, Map<String, Object> data) {
        return variables(email, name, data, null);
    }

    /**
     * The {@link #variables} of a recipient of a message system with one-click unsubscribe, which adds
     * {@value #UNSUBSCRIBE_URL} (winning over a data key too). Without a URL, a data key of that name
     * stays: a system that manages unsubscribing itself may pass its own link.
     */
    public static Map<String, Object> variables(String email, String name, Map<String, Object> data, String unsubscribeUrl) {
        Map<String, Object> context = new HashMap<>(data);
        context.put("email", email);
        context.put("name", name == null ? "" : name);
        if (unsubscribeUrl != null) {
            context.put(UNSUBSCRIBE_URL, unsubscribeUrl);
        }
        return context;
    }

    private String render(String field, Template template, Map<String, Object> context) {
        if (template == null) {
            return null;
        }
        try {
            return RenderBudget.within(limits, () -> {
                StringBuilder out = new StringBuilder();
                template.apply(context, new BudgetedWriter(out));
                return out.toString();
            });
        } catch (RenderBudget.BudgetExceeded e) {
            throw new TemplateRenderException(field, e.getMessage());
        } catch (HandlebarsException e) {
            Throwable cause = e.getCause();
            throw new TemplateRenderException(field, cause instanceof RenderBudget.BudgetExceeded exceeded
                    ? exceeded.getMessage() : "cannot be rendered for this recipient");
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new TemplateRenderException(field, "cannot be rendered for this recipient");
        }
    }

    /** Collects the output, charging each write to the render's budget. */
    private static final class BudgetedWriter extends Writer {
        private final StringBuilder out;
        private final RenderBudget budget = RenderBudget.current();

        BudgetedWriter(StringBuilder out) {
            this.out = out;
        }

        @Override
        public void write(char[] characters, int offset, int length) {
            budget.write(length);
            out.append(characters, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            budget.write(length);
            out.append(text, offset, offset + length);
        }

        @Override
        public void flush() {
            // the output is in memory
        }

        @Override
        public void close() {
            // the output is in memory
        }
    }
}
