package dev.herald.web;

import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import dev.herald.core.unsubscribe.UnsubscribeService;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The unsubscribe pages, from templates beside this class; every value is HTML-escaped. */
@Singleton
public class UnsubscribePages {

    private final Template confirm;
    private final Template done;
    private final Template invalid;

    public UnsubscribePages() {
        Handlebars handlebars = new Handlebars(new ClassPathTemplateLoader("/dev/herald/web/pages", ".html"));
        try {
            confirm = handlebars.compile("unsubscribe-confirm");
            done = handlebars.compile("unsubscribe-done");
            invalid = handlebars.compile("unsubscribe-invalid");
        } catch (IOException e) {
            throw new UncheckedIOException("The unsubscribe pages are part of the jar", e);
        }
    }

    String confirm(UnsubscribeService.Confirmation confirmation) {
        return apply(confirm, confirmation);
    }

    String done(UnsubscribeService.Confirmation confirmation) {
        return apply(done, confirmation);
    }

    String invalid() {
        return apply(invalid, null);
    }

    private static String apply(Template template, UnsubscribeService.Confirmation confirmation) {
        try {
            return template.apply(confirmation == null ? Map.of()
                    : Map.of("system", confirmation.messageSystemName(), "address", confirmation.maskedAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("rendering in memory", e);
        }
    }
}
