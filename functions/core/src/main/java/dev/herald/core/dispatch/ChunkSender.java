package dev.herald.core.dispatch;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.herald.core.model.Chunk;
import dev.herald.core.model.ChunkState;
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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Sends the chunks of one message in one run: looks each chunk's recipients up on the suppression
 * list, renders the rest, and hands them to the transport in calls as large as the rate allows,
 * several in flight where the transport takes them, retrying with backoff what may succeed later and
 * slowing down when the provider throttles. A chunk whose every recipient has an outcome goes to the
 * run's recorder while the calls of the next ones are in flight.
 * <p>
 * A chunk is open from when its first mail is taken until the recorder has saved it; a run that dies
 * leaves at most {@link #chunksOpenAtMost} of them, the chunks an at-least-once message sends again.
 */
final class ChunkSender implements AutoCloseable {

    /** What the sender asks of the run it sends for, between calls. */
    interface RunControl {
        /** Whether the run's deadline is near enough to hand over to a fresh run. */
        boolean nearDeadline();

        /** Renews the run's claim on its task when it is due. */
        void keepClaim();

        /**
         * Before the chunk, with {@code recipients} still to send, is opened: why no further chunk may be (the
         * message was cancelled or paused, its send-by limit passed, its window closed, its day's cap reached), if
         * so; otherwise the run records that it may send to this chunk and, at most, the {@code openAtOnce - 1}
         * after it.
         */
        Optional<Ending> beforeOpening(int chunkIndex, int recipients, int openAtOnce);
    }

    /** Why the sending ended. */
    enum Ending {
        /** Every chunk handed in has an outcome for each recipient. */
        ALL_SENT,
        /** The deadline is near: a fresh run carries on. */
        HAND_OVER,
        CANCELLED,
        PAUSED,
        EXPIRED,
        /** The message's send windows closed: the run waits for the next opening. */
        WINDOW_CLOSED,
        /** The next chunk would take the message past its daily cap: the run waits for the next day. */
        CAP_REACHED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChunkSender.class);
    /** Chunks read ahead where calls overlap: a few hundred mails, enough to hide the reads of the next page. */
    private static final int READ_AHEAD = 4;
    private final RunServices services;
    private final RunControl run;
    private final RunRecorder recorder;
    private final Message message;
    private final MessageSystem system;
    private final MessageTemplates templates;
    private final AdaptiveRateLimiter limiter;
    private final Transport transport;
    private final ListHeaders listHeaders;
    private final RetryPolicy<Object> retryPolicy;

    /** The mails waiting for a call, in the order they go; a call holds mails of one chunk. */
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final List<Future<Call>> inFlight = new ArrayList<>();
    /**
     * Released once for each call answered and each chunk saved: what the sending waits for when it can do
     * nothing else, so that a chunk is opened as soon as the one saved makes room, not at the next answer.
     */
    private final Semaphore progress = new Semaphore(0);
    /** The chunks opened and not handed to the recorder yet, oldest first. */
    private final List<OpenChunk> open = new ArrayList<>();
    private ChunkPrefetcher chunks;
    private Ending stop;
    private int mostOpen;
    private boolean called;
    private int throttles;
    private ExecutorService calls;
    /** How long calls have lately taken, in seconds; negative until one has been timed. */
    private double callSeconds = -1;

    ChunkSender(RunServices services, RunControl run, RunRecorder recorder, Message message, MessageSystem system,
                MessageTemplates templates, AdaptiveRateLimiter limiter, Transport transport) {
        this.services = services;
        this.run = run;
        this.recorder = recorder;
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
     * The most chunks open at once: enough to keep the transport's calls busy while the recorder
     * saves the ones done, and one more; a transport that takes one call at a time gets one chunk at
     * a time, its next opened once the last is saved.
     */
    static int chunksOpenAtMost(Transport transport, int chunkSize) {
        int calls = transport.maxConcurrentCalls();
        if (calls <= 1) {
            return 1;
        }
        int feeding = (int) Math.ceil((double) calls * transport.maxBatchSize() / Math.max(1, chunkSize));
        return Math.min(calls, feeding) + 1;
    }

    /** How many times the provider throttled this run's calls. */
    int throttles() {
        return throttles;
    }

    /**
     * Sends the chunks, each as far as it gets, and hands each to the recorder: done, or still
     * pending when the sending stopped before its end. Every call sent is answered and recorded
     * before this returns.
     */
    Ending sendAll(Iterator<Chunk> pendingChunks) {
        int readAhead = transport.maxConcurrentCalls() <= 1 ? 0 : READ_AHEAD;
        try (ChunkPrefetcher prefetcher = new ChunkPrefetcher(pendingChunks, this::suppressionsOf, readAhead)) {
            this.chunks = prefetcher;
            Failsafe.with(retryPolicy).run(this::sendUntilDoneOrStopped);
        } catch (DeadlineNear e) {
            stop = Ending.HAND_OVER;
        } catch (FailsafeException e) {
            if (!(e.getCause() instanceof InterruptedException)) {
                throw e;
            }
            Thread.currentThread().interrupt();
            awaitInFlightUninterruptibly();
            stop = Ending.HAND_OVER;
        }
        for (OpenChunk chunk : open) {
            recorder.record(chunk.claimed, chunk.recipients, ChunkState.PENDING);
        }
        open.clear();
        return stop == null ? Ending.ALL_SENT : stop;
    }

    /**
     * Opens chunks while the mails waiting cannot fill the calls to keep in flight, sends calls as
     * the rate lets them go, and records their answers as they come in. A call with mails
     * to retry (throttled, or failed for now) puts them first in line, and the sending waits with
     * backoff once the calls in flight are in.
     */
    private void sendUntilDoneOrStopped() throws InterruptedException {
        while (true) {
            openChunksAsNeeded();
            while (stop == null && !queue.isEmpty() && inFlight.size() < callsToKeepInFlight() && !mustHandOver()) {
                run.keepClaim();
                inFlight.add(launch(takeCall()));
                called = true;
            }
            if (inFlight.isEmpty()) {
                if (stop != null || queue.isEmpty() && !chunks.hasNext()) {
                    return;
                }
                if (mustHandOver()) {
                    throw new DeadlineNear();
                }
                continue;
            }
            progress.acquire();
            progress.drainPermits();
            List<Pending> retry = recordAnswered();
            if (!retry.isEmpty()) {
                while (!inFlight.isEmpty()) {
                    retry.addAll(record(await(inFlight.remove(0))));
                }
                for (int i = retry.size() - 1; i >= 0; i--) {
                    queue.addFirst(retry.get(i));
                }
                throw new RetryLater();
            }
        }
    }

    /**
     * Whether the run should hand over now. It first sends one call whatever its deadline says: a run
     * that handed over before any progress would hand over to another that does the same, for ever.
     */
    private boolean mustHandOver() {
        return called && run.nearDeadline();
    }

    /**
     * Opens the next chunks while fewer mails wait than the calls to keep in flight take, within the
     * most chunks open at once. With nothing in flight and nothing waiting, it waits for the
     * recorder to make room; otherwise the calls' answers come first.
     */
    private void openChunksAsNeeded() throws InterruptedException {
        while (stop == null && chunks.hasNext() && !mustHandOver()
                && queue.size() < callsToKeepInFlight() * transport.maxBatchSize()) {
            int room = (mostOpen == 0 ? 1 : mostOpen) - open.size() - 1;
            if (room < 0) {
                return;
            }
            if (queue.isEmpty() && inFlight.isEmpty()) {
                recorder.awaitUnsavedAtMost(room);
            } else if (recorder.unsaved() > room) {
                return;
            }
            ChunkPrefetcher.Ready next = chunks.next();
            if (mostOpen == 0) {
                mostOpen = chunksOpenAtMost(transport, next.chunk().recipients().size());
            }
            Optional<Ending> ending = run.beforeOpening(next.chunk().index(), next.chunk().counts().pending(), mostOpen);
            if (ending.isPresent()) {
                stop = ending.get();
                return;
            }
            openChunk(next);
        }
    }

    /**
     * The chunk's pending recipients on the system's suppression list, in one read: the range of their addresses
     * when they are in address order (a chunk copied from a list), which costs what the entries in it weigh;
     * otherwise a lookup of each address.
     */
    private Map<String, Suppression> suppressionsOf(Chunk chunk) {
        List<String> keys = chunk.recipients().stream().filter(Recipient::isPending).map(r -> AddressRules.key(r.email())).toList();
        if (keys.size() > 1 && inOrder(keys)) {
            return services.store().findSuppressionsBetween(system.id(), keys.get(0), keys.get(keys.size() - 1));
        }
        return services.store().findSuppressions(system.id(), keys);
    }

    private static boolean inOrder(List<String> keys) {
        for (int i = 1; i < keys.size(); i++) {
            if (keys.get(i - 1).compareTo(keys.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Claims the chunk, records the outcomes known before sending, and puts the other mails in line. */
    private void openChunk(ChunkPrefetcher.Ready ready) {
        Chunk claimed = recorder.claim(ready.chunk(), message.delivery());
        OpenChunk opened = new OpenChunk(claimed, new ArrayList<>(claimed.recipients()));
        List<Recipient> recipients = opened.recipients;
        Map<String, Suppression> suppressed = ready.suppressed();
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
                work.add(new Pending(opened, i, new OutgoingMail(message.id() + "-" + claimed.index() + "-" + i,
                        new Mailbox(recipient.email(), recipient.name()), content.subject(), content.text(),
                        content.html(), data, listHeaders.forRecipient(unsubscribeUrl))));
            } catch (RuntimeException e) {
                recipients.set(i, recipient.withOutcome(Outcome.failed("RenderingFailed: " + e.getMessage(), now())));
            }
        }
        opened.unanswered = work.size();
        if (work.isEmpty()) {
            saveDone(claimed, recipients);
            return;
        }
        open.add(opened);
        queue.addAll(work);
    }

    /** The next call's mails: the first in line, as many of their chunk's as the rate and the call size allow. */
    private List<Pending> takeCall() throws InterruptedException {
        OpenChunk chunk = queue.peekFirst().chunk;
        int sameChunk = 0;
        for (Pending pending : queue) {
            if (pending.chunk != chunk || sameChunk == transport.maxBatchSize()) {
                break;
            }
            sameChunk++;
        }
        List<Pending> mails = new ArrayList<>();
        for (int n = limiter.acquireUpTo(sameChunk); n > 0; n--) {
            mails.add(queue.removeFirst());
        }
        return mails;
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

    /** Hands a chunk every recipient of which has an outcome to the recorder; its save makes room for the next. */
    private void saveDone(Chunk claimed, List<Recipient> recipients) {
        recorder.record(claimed, recipients, ChunkState.DONE).thenRun(progress::release);
    }

    /** Records the calls answered so far, in the order they went out; answers their mails to try again. */
    private List<Pending> recordAnswered() throws InterruptedException {
        List<Pending> retry = new ArrayList<>();
        for (Iterator<Future<Call>> each = inFlight.iterator(); each.hasNext(); ) {
            Future<Call> call = each.next();
            if (call.isDone()) {
                each.remove();
                retry.addAll(record(await(call)));
            }
        }
        return retry;
    }

    /** Sends a call: on a thread of the run's own when calls may overlap, here otherwise. */
    private Future<Call> launch(List<Pending> mails) {
        CompletableFuture<Call> call;
        if (transport.maxConcurrentCalls() <= 1) {
            call = CompletableFuture.completedFuture(timedCall(mails));
        } else {
            Map<String, String> logContext = MDC.getCopyOfContextMap();
            call = CompletableFuture.supplyAsync(() -> {
                if (logContext != null) {
                    MDC.setContextMap(logContext);
                }
                try {
                    return timedCall(mails);
                } finally {
                    MDC.clear();
                }
            }, calls());
        }
        call.whenComplete((answered, crash) -> progress.release());
        return call;
    }

    private Call timedCall(List<Pending> mails) {
        long start = System.nanoTime(); // the provider's real latency, whatever clock the run keeps
        List<Delivery> deliveries = sendSafely(mails);
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

    /** Waits for the calls still in flight (an interrupted run still records what it sent). */
    private void awaitInFlightUninterruptibly() {
        boolean interrupted = false;
        while (!inFlight.isEmpty()) {
            try {
                record(await(inFlight.get(0)));
                inFlight.remove(0);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records each mail's outcome in its chunk, hands the chunks it completes to the recorder, and
     * answers the mails to try again, the limiter told how it went.
     */
    private List<Pending> record(Call call) {
        timed(call.nanos());
        List<Pending> retry = new ArrayList<>();
        boolean throttled = false;
        for (int i = 0; i < call.mails().size(); i++) {
            Pending pending = call.mails().get(i);
            OpenChunk chunk = pending.chunk;
            Delivery delivery = call.deliveries().get(i);
            Instant now = now();
            switch (delivery.kind()) {
                case DELIVERED -> chunk.answer(pending.position, Outcome.sent(delivery.providerMessageId(), now));
                case PERMANENT_FAILURE -> chunk.answer(pending.position, Outcome.failed(delivery.error(), now));
                case TRANSIENT_FAILURE -> {
                    if (chunk.attempted(pending.position) >= services.settings().maxTransientAttempts()) {
                        chunk.answer(pending.position, Outcome.failed(delivery.error(), now));
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
        for (Iterator<OpenChunk> each = open.iterator(); each.hasNext(); ) {
            OpenChunk chunk = each.next();
            if (chunk.unanswered == 0) {
                saveDone(chunk.claimed, chunk.recipients);
                each.remove();
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
    private List<Delivery> sendSafely(List<Pending> pending) {
        MailBatch batch = new MailBatch(message.id(), pending.get(0).chunk.claimed.index(), system.from(), system.replyTo(), message.subject(),
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

    /** A mail waiting for its call: its chunk, and its recipient's position there. */
    private record Pending(OpenChunk chunk, int position, OutgoingMail mail) {
    }

    /** A chunk being sent: as claimed, its recipients with the outcomes so far, and the mails still unanswered. */
    private static final class OpenChunk {
        final Chunk claimed;
        final List<Recipient> recipients;
        final Map<Integer, Integer> attempts = new HashMap<>();
        int unanswered;

        OpenChunk(Chunk claimed, List<Recipient> recipients) {
            this.claimed = claimed;
            this.recipients = recipients;
        }

        void answer(int position, Outcome outcome) {
            recipients.set(position, recipients.get(position).withOutcome(outcome));
            unanswered--;
        }

        /** Counts a transient failure of the recipient's mail; answers how many it has had. */
        int attempted(int position) {
            return attempts.merge(position, 1, Integer::sum);
        }
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
