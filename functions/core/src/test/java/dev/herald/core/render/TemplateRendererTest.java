package dev.herald.core.render;

import org.junit.jupiter.api.Test;

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
}
