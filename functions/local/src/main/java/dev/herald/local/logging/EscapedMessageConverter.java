package dev.herald.local.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.herald.core.rules.TextRules;

/** {@code %safeMessage}: the formatted message, control characters written out ({@link TextRules#escape}). */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return TextRules.escape(event.getFormattedMessage());
    }
}
