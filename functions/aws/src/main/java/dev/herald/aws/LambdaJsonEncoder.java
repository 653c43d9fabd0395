package dev.herald.aws;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's JSON lines with the timestamp as Lambda's log-level filtering reads it: an RFC 3339
 * string under {@code timestamp} (Logback writes epoch milliseconds, which Lambda cannot read, so it
 * would treat the line as INFO whatever its {@code level}).
 */
public final class LambdaJsonEncoder extends JsonEncoder {

    public LambdaJsonEncoder() {
        setWithTimestamp(false);
    }

    @Override
    protected void appendCustomFields(StringBuilder line, ILoggingEvent event) {
        line.append(VALUE_SEPARATOR);
        appenderMember(line, TIMESTAMP_ATTR_NAME, event.getInstant().toString());
    }
}
