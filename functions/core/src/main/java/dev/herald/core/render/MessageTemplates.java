package dev.herald.core.render;

import com.github.jknack.handlebars.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** The compiled subject, text and HTML templates of one message. Thread-safe. */
public final class MessageTemplates {

    private final Template subject;
    private final Template text;
    private final Template html;

    MessageTemplates(Template subject, Template text, Template html) {
        this.subject = subject;
        this.text = text;
        this.html = html;
    }

    /**
     * Renders for one recipient. The variables are the recipient's data plus {@code email} and
     * {@code name}, which win over data keys of the same name.
     */
    public RenderedContent render(String email, String name, Map<String, Object> data) {
        Map<String, Object> context = new HashMap<>(data);
        context.put("email", email);
        context.put("name", name == null ? "" : name);
        try {
            return new RenderedContent(subject.apply(context),
                    text == null ? null : text.apply(context),
                    html == null ? null : html.apply(context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
