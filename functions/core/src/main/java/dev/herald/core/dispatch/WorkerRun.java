package dev.herald.core.dispatch;

import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.MessageSystem;
import dev.herald.core.model.Run;
import dev.herald.core.model.RunStatus;
import dev.herald.core.model.Task;
import dev.herald.core.model.Trigger;
import dev.herald.core.port.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One worker of a fanned-out message, started by the run that holds its task: it claims and sends slices
 * at its share of the rate (see {@link SliceWork}) without holding the task. Near its deadline with slices
 * left, it starts a worker to replace it. Its run is recorded when it ends; a worker that dies leaves its
 * slice to the lease, and no run behind.
 */
final class WorkerRun implements Execution {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerRun.class);

    private final RunServices services;
    private final Task task;
    private final String runId;
    private final FireRequest request;
    private final Instant startedAt;

    WorkerRun(RunServices services, Task task, String runId, FireRequest request, Instant startedAt) {
        this.services = services;
        this.task = task;
        this.runId = runId;
        this.request = request;
        this.startedAt = startedAt;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String messageId() {
        return task.messageId();
    }

    @Override
    public DispatchResult execute(Deadline deadline) {
        Optional<Message> found = services.store().findMessage(task.messageId());
        if (found.isEmpty() || found.get().fanOut() == null || found.get().status().isFinal()) {
            LOG.info("Worker for task {}: its message is not being fanned out; nothing to do", task.id());
            return DispatchResult.withoutRun(DispatchResult.Outcome.DUPLICATE);
        }
        Message message = found.get();
        Optional<MessageSystem> system = services.store().findMessageSystem(message.messageSystemId());
        Prepared prepared;
        try {
            prepared = Prepared.of(services, message, system);
        } catch (Prepared.Unsendable e) {
            // The run holding the task ends every slice with this error; a worker leaves them to it.
            LOG.error("Worker {} cannot send message {}: {}", runId, message.id(), e.getMessage());
            return end(RunStatus.FAILED, Counts.ZERO, 0, e.getMessage());
        }
        SliceWork.Result result;
        try (Transport transport = services.transports().open(prepared.system(), prepared.credentials())) {
            AdaptiveRateLimiter share = services.rateLimiters().forShare(prepared.system(), transport, message.fanOut().workers());
            result = new SliceWork(services, runId, new SliceWork.Assignment(task, message, prepared, null,
                    SendBy.of(message, prepared.system())), transport, share, deadline, () -> { }, true).run();
        } catch (LostClaimException e) {
            LOG.warn("Worker {} lost its slice of message {}: another run took it over", runId, message.id());
            return new DispatchResult(DispatchResult.Outcome.LOST_CLAIM, runId, Counts.ZERO);
        }
        if (result.handedOver()) {
            services.scheduler().fireWorkers(task, 1);
        }
        RunStatus status = result.paused() ? RunStatus.PAUSED : result.handedOver() ? RunStatus.CONTINUED : RunStatus.COMPLETED;
        return end(status, result.recorded(), result.throttles(), null);
    }

    private DispatchResult end(RunStatus status, Counts recorded, int throttles, String error) {
        Instant now = services.clock().instant();
        Instant scheduledFor = request.scheduledTime() == null ? startedAt : request.scheduledTime();
        services.store().insertRun(new Run(runId, task.id(), task.messageId(), Trigger.WORKER, status, scheduledFor, startedAt,
                now, recorded.sent(), recorded.failed(), recorded.unknown(), error, 0, 0));
        try {
            services.metrics().record(new RunReport(task.messageSystemId(), task.messageId(), task.id(), runId, Trigger.WORKER,
                    status, recorded, throttles, null, Duration.between(startedAt, now)));
        } catch (RuntimeException e) {
            LOG.warn("Worker {}: metrics not recorded: {}", runId, e.toString());
        }
        LOG.info("Worker {} of message {} ended {}: {} sent, {} failed", runId, task.messageId(), status, recorded.sent(),
                recorded.failed());
        DispatchResult.Outcome outcome = switch (status) {
            case CONTINUED -> DispatchResult.Outcome.CONTINUED;
            case PAUSED -> DispatchResult.Outcome.PAUSED;
            case FAILED -> DispatchResult.Outcome.FAILED;
            default -> DispatchResult.Outcome.COMPLETED;
        };
        return new DispatchResult(outcome, runId, Counts.ofRun(recorded.sent(), recorded.failed(), recorded.unknown()));
    }
}
