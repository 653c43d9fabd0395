package dev.herald.aws;

import dev.herald.core.port.Store;
import dev.herald.core.testing.StoreContract;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.HeraldTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.util.UUID;

/** The DynamoDB store passes the same contract as the embedded store, against dynalite. */
class DynamoDbStoreTest extends StoreContract {

    private static Emulator dynalite;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = Emulator.dynalite();
        dynamo = AwsClients.dynamoDb(dynalite.endpoint());
    }

    @AfterAll
    static void stopDynalite() throws Exception {
        dynamo.close();
        dynalite.close();
    }

    @Override
    protected Store newEmptyStore() {
        String table = "herald-" + UUID.randomUUID();
        HeraldTable.create(dynamo, table, DynamoDbStore.INDEXES);
        return new DynamoDbStore(dynamo, table, Clock.systemUTC());
    }
}
