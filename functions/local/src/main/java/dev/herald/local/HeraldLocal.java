package dev.herald.local;

import io.micronaut.runtime.Micronaut;

/** Starts Herald in one process: {@code java -jar herald-local.jar}. */
public final class HeraldLocal {

    private HeraldLocal() {
    }

    public static void main(String[] args) {
        Micronaut.run(HeraldLocal.class, args);
    }
}
