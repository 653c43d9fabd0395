package dev.herald.core.dispatch;

import dev.herald.core.model.Counts;
import dev.herald.core.model.Message;
import dev.herald.core.model.Slice;
import dev.herald.core.model.SliceState;
import dev.herald.core.port.Store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A worker's hold on one slice of a fanned-out message: claimed by a conditional write, kept by a lease the
 * worker renews, released when the worker is done with it. It is where the worker's recorder puts the counts
 * of the slice's chunks. Every write goes through here, one at a time: a write that finds the slice changed
 * by another means the claim was lost.
 */
final class SliceClaim implements RunRecorder.CountsSink {

    private final Store store;
    private final Clock clock;
    private final Duration lease;
    private final boolean tookOver;
    private Slice slice;

    private SliceClaim(Store store, Clock clock, Duration lease, Slice claimed, boolean tookOver) {
        this.store = store;
        this.clock = clock;
        this.lease = lease;
        this.slice = claimed;
        this.tookOver = tookOver;
    }

    /** The first slice of the message that {@code runId} could claim, if any is left. */
    static Optional<SliceClaim> claimNext(Store store, Clock clock, Duration lease, String messageId, String runId) {
        for (Slice candidate : store.listSlices(messageId)) {
            Instant now = clock.instant();
            if (candidate.isClaimable(now)) {
                boolean fromADeadWorker = candidate.state() == SliceState.CLAIMED;
                Optional<Slice> claimed = store.updateSlice(candidate.claimedBy(runId, now.plus(lease), now));
                if (claimed.isPresent()) {
                    return Optional.of(new SliceClaim(store, clock, lease, claimed.get(), fromADeadWorker));
                }
            }
        }
        return Optional.empty();
    }

    synchronized Slice slice() {
        return slice;
    }

    /** Whether the slice was taken from a worker whose lease ran out: it died, perhaps with chunks open. */
    boolean tookOver() {
        return tookOver;
    }

    @Override
    public synchronized Message add(Counts delta, Instant now) {
        if (!delta.equals(Counts.ZERO)) {
            write(slice.withCounts(slice.counts().plus(delta), now));
        }
        return store.findMessage(slice.messageId()).orElseThrow();
    }

    /** The slice's counts summed again from its chunks: what a dead worker saved without counting it. */
    synchronized void recount(Counts counts) {
        write(slice.withCounts(counts, clock.instant()));
    }

    /** Renews the lease when half of it is gone. */
    synchronized void keepLease() {
        Instant now = clock.instant();
        if (Duration.between(now, slice.leaseUntil()).compareTo(lease.dividedBy(2)) < 0) {
            write(slice.withLease(now.plus(lease), now));
        }
    }

    /** Records that the worker may send to the chunks below {@code chunkIndex}, when that is beyond the bound kept. */
    synchronized void openBelow(int chunkIndex) {
        if (chunkIndex > slice.openedBelow()) {
            write(slice.withOpenedBelow(chunkIndex, clock.instant()));
        }
    }

    /** Lets the slice go: {@code DONE}, or {@code OPEN} again for another worker. */
    synchronized void release(SliceState state) {
        write(slice.released(state, clock.instant()));
    }

    private void write(Slice changed) {
        slice = store.updateSlice(changed).orElseThrow(() -> new LostClaimException("slice " + changed.index()));
    }
}
