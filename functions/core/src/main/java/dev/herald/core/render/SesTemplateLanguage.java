package dev.herald.core.render;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Decorator;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.HelperRegistry;
import com.github.jknack.handlebars.Options;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.TypeSafeTemplate;
import com.github.jknack.handlebars.TagType;
import com.github.jknack.handlebars.helper.EachHelper;
import com.github.jknack.handlebars.helper.IfHelper;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The helpers and decorators of SES's template language, and no others: {@code if} (with
 * {@code else}), {@code each}, and inline partials ({@code {{#*inline "name"}}...{{/inline}}},
 * used as {@code {{> name}}}). Handlebars' other built-ins ({@code log}, {@code lookup},
 * {@code embedded}, {@code precompile}, {@code i18n}, ...) do not exist here, so a template using
 * one does not compile, just as SES would refuse it. Each helper call and each partial is charged
 * to the render's {@link RenderBudget}.
 */
final class SesTemplateLanguage implements HelperRegistry {

    /** What README and the API's errors name as the language. */
    static final String DESCRIPTION = "{{variable}}, {{#if}}...{{else}}...{{/if}}, {{#each}}...{{/each}} and inline partials";

    private final Map<String, Helper<?>> helpers = new TreeMap<>(Map.of(
            IfHelper.NAME, budgeted(IfHelper.INSTANCE),
            EachHelper.NAME, budgeted(EachHelper.INSTANCE)));
    private final Map<String, Decorator> decorators = Map.of("inline", SesTemplateLanguage::inlinePartial);

    private static <T> Helper<T> budgeted(Helper<T> helper) {
        return (context, options) -> {
            RenderBudget.current().spendTime();
            return helper.apply(context, options);
        };
    }

    /** As Handlebars' inline decorator, the partial wrapped so that each call of it is charged. */
    private static void inlinePartial(Template fn, Options options) {
        Deque<Map<String, Template>> partials = options.data(Context.INLINE_PARTIALS);
        Object name = options.param(0);
        partials.getLast().put(String.valueOf(name), new BudgetedPartial(options.fn));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C> Helper<C> helper(String name) {
        return (Helper<C>) helpers.get(name);
    }

    @Override
    public Set<Map.Entry<String, Helper<?>>> helpers() {
        return helpers.entrySet();
    }

    @Override
    public Decorator decorator(String name) {
        return decorators.get(name);
    }

    @Override
    public <H> HelperRegistry registerHelper(String name, Helper<H> helper) {
        throw fixed();
    }

    @Override
    public <H> HelperRegistry registerHelperMissing(Helper<H> helper) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(Object helperSource) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(Class<?> helperSource) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(URI location) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(File input) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, Reader source) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, InputStream source) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerHelpers(String filename, String source) {
        throw fixed();
    }

    @Override
    public HelperRegistry registerDecorator(String name, Decorator decorator) {
        throw fixed();
    }

    private static UnsupportedOperationException fixed() {
        return new UnsupportedOperationException("SES's template language has a fixed set of helpers and decorators");
    }

    @Override
    public HelperRegistry setCharset(Charset charset) {
        return this;
    }

    /** An inline partial whose every call counts toward the render's partial depth and time. */
    private record BudgetedPartial(Template partial) implements Template {

        private void charged(IORunnable apply) throws IOException {
            RenderBudget budget = RenderBudget.current();
            budget.enterPartial();
            try {
                apply.run();
            } finally {
                budget.leavePartial();
            }
        }

        @Override
        public void apply(Object context, Writer writer) throws IOException {
            charged(() -> partial.apply(context, writer));
        }

        @Override
        public String apply(Object context) throws IOException {
            StringBuilder out = new StringBuilder();
            charged(() -> out.append(partial.apply(context)));
            return out.toString();
        }

        @Override
        public void apply(Context context, Writer writer) throws IOException {
            charged(() -> partial.apply(context, writer));
        }

        @Override
        public String apply(Context context) throws IOException {
            StringBuilder out = new StringBuilder();
            charged(() -> out.append(partial.apply(context)));
            return out.toString();
        }

        @Override
        public String text() {
            return partial.text();
        }

        @Override
        public String toJavaScript() {
            return partial.toJavaScript();
        }

        @Override
        public <T, S extends TypeSafeTemplate<T>> S as(Class<S> type) {
            return partial.as(type);
        }

        @Override
        public <T> TypeSafeTemplate<T> as() {
            return partial.as();
        }

        @Override
        public List<String> collect(TagType... tagType) {
            return partial.collect(tagType);
        }

        @Override
        public List<String> collectReferenceParameters() {
            return partial.collectReferenceParameters();
        }

        @Override
        public String filename() {
            return partial.filename();
        }

        @Override
        public int[] position() {
            return partial.position();
        }
    }

    @FunctionalInterface
    private interface IORunnable {
        void run() throws IOException;
    }
}
