package dev.herald.core.render;

import java.time.Duration;

/**
 * What one render of one template may spend: output characters, time, and how deeply partials may
 * call partials. A template that would exceed it (a recursive partial, loops within loops over
 * large data) fails with {@link TemplateRenderException} instead of taking the server down with it.
 * The budget of the render under way is the thread's, as rendering runs on the caller's thread.
 */
final class RenderBudget {

    private static final ThreadLocal<RenderBudget> CURRENT = new ThreadLocal<>();

    private final TemplateLimits limits;
    private final long deadlineNanos;
    private long written;
    private int partialDepth;

    private RenderBudget(TemplateLimits limits) {
        this.limits = limits;
        this.deadlineNanos = System.nanoTime() + limits.renderTime().toNanos();
    }

    /** Runs {@code render} under a fresh budget. */
    static <T> T within(TemplateLimits limits, Render<T> render) throws java.io.IOException {
        RenderBudget outer = CURRENT.get();
        CURRENT.set(new RenderBudget(limits));
        try {
            return render.run();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The budget of the render under way; none outside a render (a compile-time evaluation). */
    static RenderBudget current() {
        RenderBudget budget = CURRENT.get();
        return budget == null ? new RenderBudget(TemplateLimits.defaults()) : budget;
    }

    void spendTime() {
        if (System.nanoTime() > deadlineNanos) {
            throw new BudgetExceeded("takes longer than " + describe(limits.renderTime()) + " to render");
        }
    }

    void write(int characters) {
        written += characters;
        if (written > limits.maxOutput()) {
            throw new BudgetExceeded("renders more than " + limits.maxOutput() + " characters");
        }
        spendTime();
    }

    void enterPartial() {
        if (++partialDepth > limits.maxPartialDepth()) {
            throw new BudgetExceeded("calls partials more than " + limits.maxPartialDepth() + " deep (a partial that calls itself?)");
        }
        spendTime();
    }

    void leavePartial() {
        partialDepth--;
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    @FunctionalInterface
    interface Render<T> {
        T run() throws java.io.IOException;
    }

    /** Unchecked, so that it passes through Handlebars' own code untouched. */
    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded(String reason) {
            super(reason, null, false, false);
        }
    }
}
