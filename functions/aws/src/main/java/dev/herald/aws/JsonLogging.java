package dev.herald.aws;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The Lambda functions' logs: one JSON object per line on standard output (the function's log
 * stream), with the message, task and run ids from the MDC, and the {@code level} and RFC 3339
 * {@code timestamp} Lambda's log-level filtering reads. The level follows the function's
 * {@code ApplicationLogLevel} ({@code AWS_LAMBDA_LOG_LEVEL}). Logback finds this class through
 * {@code META-INF/services}; configured in code rather than in {@code logback.xml}, it spares each
 * cold start an XML parser.
 */
public final class JsonLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LambdaJsonEncoder encoder = new LambdaJsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("json");
        console.setEncoder(encoder);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(LambdaLogLevel.configured(), Level.INFO));
        root.addAppender(console);
        context.getLogger("io.micronaut").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
