package dev.herald.core.testing;

import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.TransportKind;
import dev.herald.core.port.Credentials;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import dev.herald.core.port.TransportFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A fault-injecting transport: a script decides each mail's delivery; {@link #crashAfter} makes
 * the run die (an Error, as a killed process would) after that many deliveries.
 */
public final class ScriptedTransport implements TransportFactory {

    /** Thrown to simulate the process dying mid-chunk. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash() {
            super("simulated crash");
        }
    }

    public final List<OutgoingMail> delivered = new CopyOnWriteArrayList<>();
    public final List<Optional<Credentials>> openedWith = new CopyOnWriteArrayList<>();
    private volatile Function<OutgoingMail, Delivery> script = mail -> Delivery.delivered("provider-" + mail.recipientKey());
    private volatile int crashAfter = -1;
    private volatile int batchSize = 10;
    private volatile Consumer<MailBatch> beforeEachBatch = batch -> { };
    private volatile OptionalDouble providerRate = OptionalDouble.empty();
    private volatile boolean rendersTemplates;
    private volatile int concurrentCalls = 1;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** The most calls that were in {@code send} at once. */
    public final java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();

    public ScriptedTransport script(Function<OutgoingMail, Delivery> newScript) {
        this.script = newScript;
        return this;
    }

    public ScriptedTransport crashAfter(int deliveries) {
        this.crashAfter = deliveries;
        return this;
    }

    public ScriptedTransport batchSize(int size) {
        this.batchSize = size;
        return this;
    }

    public ScriptedTransport beforeEachBatch(Runnable hook) {
        return beforeEachBatch(batch -> hook.run());
    }

    /** Runs {@code hook} with each call's mails before answering them (on the call's thread). */
    public ScriptedTransport beforeEachBatch(Consumer<MailBatch> hook) {
        this.beforeEachBatch = hook;
        return this;
    }

    /** Plays a provider that takes {@code calls} calls at once, as SES's HTTP API does. */
    public ScriptedTransport concurrentCalls(int calls) {
        this.concurrentCalls = calls;
        return this;
    }

    /** Plays a provider that renders mails itself, as SES does. */
    public ScriptedTransport rendersTemplates() {
        this.rendersTemplates = true;
        return this;
    }

    /** The send quota the provider tells (none by default). */
    public ScriptedTransport providerRate(double rate) {
        this.providerRate = OptionalDouble.of(rate);
        return this;
    }

    public long deliveriesTo(String email) {
        return delivered.stream().filter(m -> m.to().email().equals(email)).count();
    }

    @Override
    public Set<TransportKind> supportedKinds() {
        return EnumSet.of(TransportKind.OUTBOX, TransportKind.SMTP);
    }

    @Override
    public Transport open(MessageSystem system, Optional<Credentials> jobAccount) {
        openedWith.add(jobAccount);
        return new Transport() {
            @Override
            public int maxBatchSize() {
                return batchSize;
            }

            @Override
            public OptionalDouble providerSendRate() {
                return providerRate;
            }

            @Override
            public boolean rendersTemplates() {
                return rendersTemplates;
            }

            @Override
            public int maxConcurrentCalls() {
                return concurrentCalls;
            }

            @Override
            public List<Delivery> send(MailBatch batch) {
                mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    return answer(batch);
                } finally {
                    inFlight.decrementAndGet();
                }
            }

            private List<Delivery> answer(MailBatch batch) {
                beforeEachBatch.accept(batch);
                List<Delivery> answers = new ArrayList<>();
                for (OutgoingMail mail : batch.mails()) {
                    if (crashAfter >= 0 && delivered.size() >= crashAfter) {
                        throw new SimulatedCrash();
                    }
                    Delivery delivery = script.apply(mail);
                    if (delivery.kind() == Delivery.Kind.DELIVERED) {
                        delivered.add(mail);
                    }
                    answers.add(delivery);
                }
                return answers;
            }

            @Override
            public void close() {
            }
        };
    }
}
