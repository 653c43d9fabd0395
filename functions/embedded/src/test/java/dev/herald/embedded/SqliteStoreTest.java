package dev.herald.embedded;

import dev.herald.core.port.Store;
import dev.herald.core.testing.StoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class SqliteStoreTest extends StoreContract {

    private SqliteStore store;

    @Override
    protected Store newEmptyStore() {
        store = SqliteStore.inMemory(Clock.systemUTC());
        return store;
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void fileDatabase_keepsItsContentAcrossReopening(@TempDir Path directory) {
        try (SqliteStore first = SqliteStore.open(directory, Clock.systemUTC())) {
            first.insertMessageSystem(dev.herald.core.testing.Fixtures.outboxSystem("kept", T0));
        }
        try (SqliteStore second = SqliteStore.open(directory, Clock.systemUTC())) {
            assertThat(second.findMessageSystem("kept")).isPresent();
        }
    }

    @Test
    void aSecondProcessOnTheSameDirectory_isRefused_withAClearMessage(@TempDir Path directory) {
        try (SqliteStore first = SqliteStore.open(directory, Clock.systemUTC())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> SqliteStore.open(directory, Clock.systemUTC()))
                    .hasMessageContaining("Another Herald process");
            assertThat(first.listMessageSystems()).isEmpty();
        }
    }
}
