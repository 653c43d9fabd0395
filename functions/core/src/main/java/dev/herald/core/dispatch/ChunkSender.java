package dev.herald.core.dispatch;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.herald.core.model.Mailbox;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Outcome;
import dev.herald.core.model.Recipient;
import dev.herald.core.model.Suppression;
import dev.herald.core.port.Delivery;
import dev.herald.core.port.MailBatch;
import dev.herald.core.port.OutgoingMail;
import dev.herald.core.port.Transport;
import dev.herald.core.render.MessageTemplates;
import dev.herald.core.render.RenderedContent;
import dev.herald.core.rules.AddressRules;
import dev.herald.core.unsubscribe.ListHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends chunks of one message in one run: looks each chunk's recipients up on the suppression list,
 * renders the rest, and hands them to the transport in calls as large as the rate allows, retrying
 * with backoff what may succeed later, slowing down when the provider throttles.
 */
final class ChunkSender implements AutoCloseable {

    /** What the sender asks of the run it sends for, between calls. */
    interface RunControl {
        /** Whether the run's deadline is near enough to hand over to a fresh run. */
        boolean nearDeadline();

        /** Renews the run's claim on its task when it is due. */
        void keepClaim();
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChunkSender.class);
    private final RunServices services;
    private final RunControl run;
    private final Message message;
    private final MessageSystem system;
    private final MessageTemplates templates;
    private final AdaptiveRateLimiter limiter;
    private final Transport transport;
    private final ListHeaders listHeaders;
    private final RetryPolicy<Object> retryPolicy;

    private boolean called;
    private int throttles;
    private ExecutorService calls;
    /** How long calls have lately taken, in seconds; negative until one has been timed. */
    private double callSeconds = -1;

    ChunkSender(RunServices services, RunControl run, Message message, MessageSystem system, MessageTemplates templates,
                AdaptiveRateLimiter limiter, Transport transport) {
        this.services = services;
        this.run = run;
        this.message = message;
        this.system = system;
        this.templates = templates;
        this.limiter = limiter;
        this.transport = transport;
        this.listHeaders = new ListHeaders(system);
        this.retryPolicy = RetryPolicy.builder()
                .handle(RetryLater.class)
                .withBackoff(services.settings().initialBackoff(), services.settings().maxBackoff())
                .withJitter(0.2)
                .withMaxRetries(-1)
                .build();
    }

    /**
     * Whether the run should hand over now. It first sends one batch whatever its deadline says: a
     * run that handed over before any progress would hand over to another that does the same, for ever.
     */
    boolean mustHandOver() {
        return called && run.nearDeadline();
    }

    /** How many times the provider throttled this run's calls. */
    int throttles() {
        return throttles;
    }

    /** Records an outcome for every pending recipient; false when the deadline came first. */
    boolean send(int chunkIndex, List<Recipient> recipients) {
        Map<String, Suppression> suppressed = services.store().findSuppressions(system.id(), recipients.stream()
                .filter(Recipient::isPending).map(r -> AddressRules.key(r.email())).toList());
        List<Pending> work = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient recipient = recipients.get(i);
            if (!recipient.isPending()) {
                continue;
            }
            Suppression entry = suppressed.get(AddressRules.key(recipient.email()));
            if (entry != null) {
                recipients.set(i, recipient.withOutcome(Outcome.suppressed(entry, now())));
                continue;
            }
            try {
                String unsubscribeUrl = system.unsubscribe().enabled()
                        ? services.unsubscribeLinks().urlFor(system.id(), recipient.email(), message.id()) : null;
                Map<String, Object> data = MessageTemplates.variables(recipient.email(), recipient.name(),
                        recipient.data(), unsubscribeUrl);
                // A provider that renders (SES) gets the data alone: rendering here too would only cost time.
                RenderedContent content = transport.rendersTemplates() ? RenderedContent.NONE : templates.render(data);
                work.add(new Pending(i, new OutgoingMail(message.id() + "-" + chunkIndex + "-" + i,
                        new Mailbox(recipient.email(), recipient.name()), content.subject(), content.text(),
                        content.html(), data, listHeaders.forRecipient(unsubscribeUrl))));
            } catch (RuntimeException e) {
                recipients.set(i, recipient.withOutcome(Outcome.failed("RenderingFailed: " + e.getMessage(), now())));
            }
        }
        return deliver(chunkIndex, work, recipients);
    }

    /**
     * Sends the mails in calls as large as the rate leaves room for, as many in flight at once as the
     * transport allows, until each has an outcome or the run must hand over. Outcomes are recorded in
     * the order the calls went out, and every call in flight is recorded before this returns. A call
     * with mails to retry (throttled, or failed for now) puts them first in line, and the sending
     * waits with backoff once the calls in flight are in.
     */
    private boolean deliver(int chunkIndex, List<Pending> work, List<Recipient> recipients) {
        Deque<Pending> queue = new ArrayDeque<>(work);
        Map<Integer, Integer> attempts = new HashMap<>();
        try {
            Failsafe.with(retryPolicy).run(() -> {
                List<Future<Call>> inFlight = new ArrayList<>();
                while (true) {
                    while (!queue.isEmpty() && inFlight.size() < callsToKeepInFlight() && !mustHandOver()) {
                        run.keepClaim();
                        List<Pending> mails = new ArrayList<>();
                        for (int n = limiter.acquireUpTo(Math.min(queue.size(), transport.maxBatchSize())); n > 0; n--) {
                            mails.add(queue.removeFirst());
                        }
                        inFlight.add(launch(chunkIndex, mails));
                    }
                    if (inFlight.isEmpty()) {
                        if (queue.isEmpty()) {
                            return;
                        }
                        throw new DeadlineNear();
                    }
                    List<Pending> retry = record(await(inFlight.remove(0)), recipients, attempts);
                    if (!retry.isEmpty()) {
                        while (!inFlight.isEmpty()) {
                            retry.addAll(record(await(inFlight.remove(0)), recipients, attempts));
                        }
                        for (int i = retry.size() - 1; i >= 0; i--) {
                            queue.addFirst(retry.get(i));
                        }
                        throw new RetryLater();
                    }
                }
            });
            return true;
        } catch (DeadlineNear e) {
            return false;
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return false;
            }
            throw e;
        }
    }

    /**
     * As many calls in flight as the rate needs while each takes as long as calls have lately taken
     * (rate x latency / call size, and one more), within the transport's limit; all it allows until
     * a call has been timed.
     */
    private int callsToKeepInFlight() {
        int most = Math.max(1, transport.maxConcurrentCalls());
        double latency = callSeconds;
        if (latency < 0) {
            return most;
        }
        double needed = limiter.currentRate() * latency / Math.max(1, transport.maxBatchSize());
        return (int) Math.max(1, Math.min(most, Math.ceil(needed) + 1));
    }

    /** Folds a call's duration into the recent average (each call a fifth of it). */
    private void timed(long nanos) {
        double seconds = nanos / 1e9;
        callSeconds = callSeconds < 0 ? seconds : callSeconds * 0.8 + seconds * 0.2;
    }

    /** A call's mails and what the provider answered for each. */
    private record Call(List<Pending> mails, List<Delivery> deliveries, long nanos) {
    }

    /** Sends a call: on a thread of the run's own when calls may overlap, here otherwise. */
    private Future<Call> launch(int chunkIndex, List<Pending> mails) {
        if (transport.maxConcurrentCalls() <= 1) {
            return CompletableFuture.completedFuture(timedCall(chunkIndex, mails));
        }
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        return calls().submit(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                return timedCall(chunkIndex, mails);
            } finally {
                MDC.clear();
            }
        });
    }

    private Call timedCall(int chunkIndex, List<Pending> mails) {
        long start = System.nanoTime(); // the provider's real latency, whatever clock the run keeps
        List<Delivery> deliveries = sendSafely(chunkIndex, mails);
        return new Call(mails, deliveries, System.nanoTime() - start);
    }

    private synchronized ExecutorService calls() {
        if (calls == null) {
            calls = Executors.newFixedThreadPool(transport.maxConcurrentCalls(), runnable -> {
                Thread thread = new Thread(runnable, "herald-call");
                thread.setDaemon(true);
                return thread;
            });
        }
        return calls;
    }

    /** The call's answer; a crash in it (an Error) is this run's crash, as when the call runs here. */
    private static Call await(Future<Call> call) throws InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /** Records each mail's outcome and answers the mails to try again, the limiter told how it went. */
    private List<Pending> record(Call call, List<Recipient> recipients, Map<Integer, Integer> attempts) {
        called = true;
        timed(call.nanos());
        List<Pending> retry = new ArrayList<>();
        boolean throttled = false;
        for (int i = 0; i < call.mails().size(); i++) {
            Pending pending = call.mails().get(i);
            Delivery delivery = call.deliveries().get(i);
            Instant now = now();
            switch (delivery.kind()) {
                case DELIVERED -> recipients.set(pending.position, recipients.get(pending.position)
                        .withOutcome(Outcome.sent(delivery.providerMessageId(), now)));
                case PERMANENT_FAILURE -> recipients.set(pending.position, recipients.get(pending.position)
                        .withOutcome(Outcome.failed(delivery.error(), now)));
                case TRANSIENT_FAILURE -> {
                    int attempt = attempts.merge(pending.position, 1, Integer::sum);
                    if (attempt >= services.settings().maxTransientAttempts()) {
                        recipients.set(pending.position, recipients.get(pending.position)
                                .withOutcome(Outcome.failed(delivery.error(), now)));
                    } else {
                        retry.add(pending);
                    }
                }
                case THROTTLED -> {
                    throttled = true;
                    retry.add(pending);
                }
            }
        }
        if (throttled) {
            throttles++;
            limiter.onThrottled();
            LOG.warn("Throttled by the provider; send rate of '{}' lowered to {}/s", system.id(), limiter.currentRate());
        } else {
            limiter.onUnthrottled();
        }
        return retry;
    }

    /** Stops the run's call threads, if it had any. */
    @Override
    public synchronized void close() {
        if (calls != null) {
            calls.shutdownNow();
        }
    }

    /** A transport must answer per mail; one that throws gets a transient failure for each. */
    private List<Delivery> sendSafely(int chunkIndex, List<Pending> pending) {
        MailBatch batch = new MailBatch(message.id(), chunkIndex, system.from(), system.replyTo(), message.subject(),
                message.text(), message.html(), pending.stream().map(p -> p.mail).toList());
        try {
            List<Delivery> deliveries = transport.send(batch);
            if (deliveries.size() != pending.size()) {
                throw new IllegalStateException("transport answered " + deliveries.size() + " deliveries for "
                        + pending.size() + " mails");
            }
            return deliveries;
        } catch (RuntimeException e) {
            LOG.warn("Transport failed for a batch of {}: {}", pending.size(), e.toString());
            Delivery failure = Delivery.transientFailure("TransportError: " + e.getClass().getSimpleName());
            return pending.stream().map(p -> failure).toList();
        }
    }

    private Instant now() {
        return services.clock().instant();
    }

    private record Pending(int position, OutgoingMail mail) {
    }

    /** Some mails of a batch may succeed later: retried by the policy, with backoff. */
    private static final class RetryLater extends RuntimeException {
        RetryLater() {
            super(null, null, false, false);
        }
    }

    private static final class DeadlineNear extends RuntimeException {
        DeadlineNear() {
            super(null, null, false, false);
        }
    }
}
