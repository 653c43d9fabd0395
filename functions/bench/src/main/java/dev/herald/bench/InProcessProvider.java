package dev.herald.bench;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.Transport;
import dev.herald.core.port.TransportFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/** A provider stub in the benchmark's process, for outbox systems: batches of 50, each answered by {@link #answer}. */
abstract class InProcessProvider implements TransportFactory {

    /** The provider's answer to one call. */
    abstract List<Delivery> answer(MailBatch batch);

    /** The rate the provider says it takes, if it says one. */
    OptionalDouble sendRate() {
        return OptionalDouble.empty();
    }

    /** Whether the provider renders each mail itself (the dispatch then does not). */
    boolean renders() {
        return false;
    }

    @Override
    public final Set<TransportKind> supportedKinds() {
        return EnumSet.of(TransportKind.OUTBOX);
    }

    @Override
    public final Transport open(MessageSystem system, Optional<Credentials> jobAccount) {
        return new Transport() {
            @Override
            public int maxBatchSize() {
                return 50;
            }

            @Override
            public OptionalDouble providerSendRate() {
                return sendRate();
            }

            @Override
            public boolean rendersTemplates() {
                return renders();
            }

            @Override
            public List<Delivery> send(MailBatch batch) {
                return answer(batch);
            }

            @Override
            public void close() {
            }
        };
    }
}
