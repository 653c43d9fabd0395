package dev.herald.local.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.herald.core.rules.TextRules;

import java.util.Arrays;

/**
 * {@code %safeThrowable}: a stack trace as Logback writes it, each exception's message with its control
 * characters written out ({@link TextRules#escape}): a message can carry text from a request or a server.
 */
public final class EscapedThrowableConverter extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return super.throwableProxyToString(new Escaped(throwable));
    }

    private record Escaped(IThrowableProxy throwable) implements IThrowableProxy {
        public String getMessage() {
            return TextRules.escape(throwable.getMessage());
        }

        public String getClassName() {
            return throwable.getClassName();
        }

        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return throwable.getStackTraceElementProxyArray();
        }

        public int getCommonFrames() {
            return throwable.getCommonFrames();
        }

        public IThrowableProxy getCause() {
            return throwable.getCause() == null ? null : new Escaped(throwable.getCause());
        }

        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = throwable.getSuppressed();
            return suppressed == null ? null : Arrays.stream(suppressed).map(Escaped::new).toArray(IThrowableProxy[]::new);
        }

        public boolean isCyclic() {
            return throwable.isCyclic();
        }
    }
}
