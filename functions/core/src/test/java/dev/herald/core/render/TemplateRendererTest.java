package dev.herald.core.render;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateRendererTest {

    private final TemplateRenderer renderer = new TemplateRenderer();

    @Test
    void rendersVariablesConditionalsAndLoops_withEmailAndNameAsVariables() throws Exception {
        MessageTemplates templates = renderer.compile("Hello {{name}}",
                "{{#if vip}}VIP {{/if}}{{email}}:{{#each items}} {{this}}{{/each}}", null);

        RenderedContent content = templates.render("ann@example.com", "Ann",
                Map.of("vip", true, "items", List.of("tea", "cake")));

        assertThat(content.subject()).isEqualTo("Hello Ann");
        assertThat(content.text()).isEqualTo("VIP ann@example.com: tea cake");
        assertThat(content.html()).isNull();
    }

    @Test
    void htmlEscapesInsertedValues_subjectAndTextDoNot() throws Exception {
        MessageTemplates templates = renderer.compile("{{company}}", "{{company}}", "<b>{{company}}</b>");

        RenderedContent content = templates.render("a@example.com", null, Map.of("company", "Smith & <Sons>"));

        assertThat(content.subject()).isEqualTo("Smith & <Sons>");
        assertThat(content.text()).isEqualTo("Smith & <Sons>");
        assertThat(content.html()).isEqualTo("<b>Smith &amp; &lt;Sons&gt;</b>");
    }

    @Test
    void recipientEmailAndName_winOverDataKeys() throws Exception {
        RenderedContent content = renderer.compile("{{name}} {{email}}", "x", null)
                .render("real@example.com", "Real", Map.of("name", "Fake", "email", "fake@example.com"));

        assertThat(content.subject()).isEqualTo("Real real@example.com");
    }

    @Test
    void unparsableTemplates_areAllReported_withWhere() {
        assertThatThrownBy(() -> renderer.compile("Hi {{#if x}}", "ok", "<p>{{/each}}</p>"))
                .isInstanceOfSatisfying(TemplateRenderer.InvalidTemplatesException.class, e -> {
                    assertThat(e.problems()).extracting(TemplateProblem::field).containsExactly("subject", "html");
                    assertThat(e.problems().get(0).message()).contains("line 1");
                });
    }

    private List<TemplateProblem> problemsOf(String subject, String text, String html) {
        try {
            renderer.compile(subject, text, html);
        } catch (TemplateRenderer.InvalidTemplatesException e) {
            return e.problems();
        }
        throw new AssertionError("expected the templates to be refused");
    }

    @Test
    void onlySesHelpersExist_everyOtherHandlebarsBuiltIn_isRefusedAtCompile_namingTheField() {
        for (String helper : List.of("{{log \"x\\n17:00:00.000 WARN FORGED\"}}", "{{lookup this \"x\"}}", "{{embedded \"x\"}}",
                "{{precompile \"x\"}}", "{{i18n \"x\"}}", "{{#with a}}{{/with}}", "{{#unless a}}{{/unless}}", "{{block \"x\"}}")) {
            assertThat(problemsOf("Hi", helper, null)).as(helper).singleElement().satisfies(problem -> {
                assertThat(problem.field()).isEqualTo("text");
                assertThat(problem.message()).contains("not part of SES's template language")
                        .doesNotContain("inline@", "java.", "Exception");
            });
        }
    }

    @Test
    void partialsAreOnlyTheTemplatesOwnInlineOnes_neverLoadedFromFilesOrTheClassPath() throws Exception {
        for (String call : List.of("{{> header}}", "{{> ../../../../etc/passwd}}", "{{#> layout}}x{{/layout}}", "{{> (which)}}")) {
            assertThat(problemsOf("Hi", null, "<p>" + call + "</p>")).as(call).singleElement().satisfies(problem -> {
                assertThat(problem.field()).isEqualTo("html");
                assertThat(problem.message()).doesNotContain("FileNotFound", ".hbs", "inline@");
            });
        }

        RenderedContent content = renderer.compile("Hi", "{{#*inline \"sig\"}}-- {{name}}{{/inline}}Body {{> sig}} {{!-- {{> notCalled}} --}}",
                null).render("a@example.com", "Ann", Map.of());

        assertThat(content.text()).isEqualTo("Body -- Ann ");
    }

    @Test
    void aPartialThatCallsItself_failsItsRenderNamingTheField_insteadOfOverflowingTheStack() throws Exception {
        MessageTemplates templates = renderer.compile("Hi", null, "{{#*inline \"r\"}}{{> r}}{{/inline}}{{> r}}");

        assertThatThrownBy(() -> templates.render("a@example.com", null, Map.of()))
                .isInstanceOfSatisfying(TemplateRenderException.class, e -> {
                    assertThat(e.field()).isEqualTo("html");
                    assertThat(e.reason()).contains("more than 10 deep");
                });
    }

    @Test
    void aRender_isLimitedInOutputAndTime_andATemplateInSize() throws Exception {
        TemplateRenderer small = new TemplateRenderer(new TemplateLimits(200, 100, Duration.ofSeconds(10), 10));
        TemplateRenderer quick = new TemplateRenderer(new TemplateLimits(200, 1_000_000, Duration.ofMillis(1), 10));
        List<Integer> hundred = java.util.stream.IntStream.range(0, 100).boxed().toList();

        assertThatThrownBy(() -> small.compile("Hi", "{{#each items}}0123456789{{/each}}", null)
                .render("a@example.com", null, Map.of("items", hundred)))
                .isInstanceOfSatisfying(TemplateRenderException.class, e -> assertThat(e.reason())
                        .isEqualTo("renders more than 100 characters"));
        // A million iterations of the innermost loop: far more than a millisecond, with nothing written.
        assertThatThrownBy(() -> quick.compile("Hi", "{{#each a}}{{#each ../a}}{{#each ../../a}}{{/each}}{{/each}}{{/each}}", null)
                .render("a@example.com", null, Map.of("a", hundred)))
                .isInstanceOfSatisfying(TemplateRenderException.class, e -> assertThat(e.reason())
                        .isEqualTo("takes longer than 1 ms to render"));
        assertThatThrownBy(() -> small.compile("Hi", "x".repeat(201), null))
                .isInstanceOfSatisfying(TemplateRenderer.InvalidTemplatesException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.message()).contains("longer than 200 characters")));
    }
}
