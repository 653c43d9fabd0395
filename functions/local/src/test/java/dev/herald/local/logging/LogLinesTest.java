package dev.herald.local.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local runtime's log lines, as its logback.xml writes them: one line each, whatever a value holds. */
class LogLinesTest {

    private static final String FORGED = "x\n17:00:00.000 WARN  d.h.c.d.ActiveRun [//] FORGED\r\u001B[2K";

    /** What the runtime's own configuration prints for {@code log}. */
    private static List<String> printed(java.util.function.Consumer<Logger> log) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LogLinesTest.class.getResource("/logback.xml"));
            log.accept(context.getLogger("dev.herald.local.Test"));
        } finally {
            context.stop();
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aValueWithLineBreaksAndEscapes_staysOnItsLine_writtenOut() throws Exception {
        List<String> lines = printed(log -> log.info("Issued sender token t-1 ({})", FORGED));

        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*")
                .contains("(x\\n17:00:00.000 WARN  d.h.c.d.ActiveRun [//] FORGED\\r\\u001B[2K)")
                .doesNotContain("\u001B", "\r"));
    }

    @Test
    void anExceptionsMessage_isWrittenOutToo_whileItsStackTraceKeepsItsLines() throws Exception {
        List<String> lines = printed(log -> log.error("GET /v1/x failed",
                new IllegalStateException("outer " + FORGED, new IllegalArgumentException("inner\nFORGED"))));

        assertThat(lines.get(0)).endsWith("GET /v1/x failed");
        assertThat(lines.get(1)).startsWith("java.lang.IllegalStateException: outer x\\n17:00:00.000 WARN");
        assertThat(lines).filteredOn(line -> line.startsWith("Caused by:")).singleElement()
                .satisfies(line -> assertThat(line).isEqualTo("Caused by: java.lang.IllegalArgumentException: inner\\nFORGED"));
        // The forged line's own text, not its time: a real line logged at 17:00 starts with that too.
        assertThat(lines).noneMatch(line -> line.startsWith("17:00:00.000 WARN") || line.startsWith("FORGED"))
                .allSatisfy(line -> assertThat(line).doesNotContain("\u001B"));
    }
}
