package dev.herald.core.testing;

import dev.herald.core.port.Store;

/** Keeps the reference store honest: it must pass the contract the real stores pass. */
class InMemoryStoreTest extends StoreContract {

    @Override
    protected Store newEmptyStore() {
        return new InMemoryStore();
    }
}
