package dev.herald.local;

import io.micronaut.context.env.Environment;
import io.micronaut.runtime.Micronaut;

/**
 * Starts Herald in one process: {@code java -jar herald-local.jar}. A start that fails says why in
 * one line ({@link StartupFailure}), without a stack trace, and exits with status 1.
 */
public final class HeraldLocal extends Micronaut {

    private HeraldLocal() {
    }

    public static void main(String[] args) {
        new HeraldLocal().mainClass(HeraldLocal.class).args(args).banner(false).start();
    }

    @Override
    protected void handleStartupException(Environment environment, Throwable exception) {
        System.err.println("Herald could not start: " + StartupFailure.describe(exception));
        System.exit(1);
    }
}
