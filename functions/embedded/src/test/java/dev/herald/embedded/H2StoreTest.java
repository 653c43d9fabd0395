package dev.herald.embedded;

import dev.herald.core.port.Store;
import dev.herald.core.testing.StoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class H2StoreTest extends StoreContract {

    private H2Store store;

    @Override
    protected Store newEmptyStore() {
        store = H2Store.inMemory(UUID.randomUUID().toString(), Clock.systemUTC());
        return store;
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void fileDatabase_keepsItsContentAcrossReopening(@TempDir Path directory) {
        try (H2Store first = H2Store.open(directory, Clock.systemUTC())) {
            first.insertMessageSystem(dev.herald.core.testing.Fixtures.outboxSystem("kept", T0));
        }
        try (H2Store second = H2Store.open(directory, Clock.systemUTC())) {
            assertThat(second.findMessageSystem("kept")).isPresent();
        }
    }
}
