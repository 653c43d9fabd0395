package dev.herald.template;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * cfn-lint, the linter (with the AWS SAM translator) that people who deploy CloudFormation and SAM
 * run: it resolves intrinsic functions, finds dependency cycles and knows which runtimes Lambda still
 * creates. Its errors and warnings come back as its JSON findings.
 */
final class CfnLint {

    static final String HOW_TO_INSTALL = "cfn-lint is needed to check template.yaml: Python 3 with cfn-lint 1.51 "
            + "(installed on Herald's build machines; elsewhere pip install cfn-lint==1.51.0), on the PATH.";

    private CfnLint() {
    }

    /** The findings of {@code cfn-lint} for {@code template}, a path relative to {@code directory}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> lint(Path directory, String template) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("cfn-lint", "--format", "json", "--", template)
                    .directory(directory.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException notInstalled) {
            throw new IllegalStateException(HOW_TO_INSTALL, notInstalled);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("cfn-lint did not finish within 2 minutes");
        }
        // 0: nothing found; 2, 4, 6 and 8 (and their sums): errors, warnings, informational findings.
        if (process.exitValue() == 1 || output.isBlank()) {
            throw new IllegalStateException("cfn-lint failed (exit " + process.exitValue() + "): " + output);
        }
        return new ObjectMapper().readValue(output, List.class);
    }
}
