package dev.herald.send;

import dev.herald.core.audience.ListService;
import dev.herald.core.dispatch.Reconciler;

/**
 * What the reconciling rule's invocation does every minute: fire the tasks whose triggers were lost, then go
 * on deleting the lists whose deletion no request finished.
 */
record ReconcilingSweep(Reconciler reconciler, ListService lists) {

    /** Answers how many tasks it fired. */
    int run() {
        int fired = reconciler.reconcile().size();
        lists.continueDeletions();
        return fired;
    }
}
