package dev.herald.core.port;

import java.util.List;
import java.util.OptionalDouble;

/** An open connection to a mail provider for one dispatch run. */
public interface Transport extends AutoCloseable {

    /** The most mails {@link #send} accepts at once. */
    int maxBatchSize();

    /** The most mails per second the provider allows this account, where the provider says (SES does). */
    default OptionalDouble providerSendRate() {
        return OptionalDouble.empty();
    }

    /**
     * How many {@link #send} calls may be in flight at once: one for a connection that serves one
     * call at a time (SMTP), more for a provider's HTTP API (SES).
     */
    default int maxConcurrentCalls() {
        return 1;
    }

    /**
     * Whether the provider renders each mail itself, from the batch's templates and the mail's
     * template data (SES does): then Herald does not render them, and the mails' subject and bodies
     * are null.
     */
    default boolean rendersTemplates() {
        return false;
    }

    /**
     * Sends the batch and answers one delivery per mail, in order. A failure of the whole call
     * is answered as a delivery per mail too (transient or throttled), never thrown.
     */
    List<Delivery> send(MailBatch batch);

    @Override
    void close();
}
