package dev.herald.aws;

import dev.herald.core.port.Store;
import dev.herald.core.testing.StoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.util.UUID;

/** The DynamoDB store passes the same contract as the embedded store, against dynalite. */
class DynamoDbStoreTest extends StoreContract {

    private static Emulator dynalite;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = Emulator.start("node_modules/dynalite/cli.js", "--port", "{port}", "--host", "127.0.0.1",
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(dynalite.endpoint())).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stopDynalite() throws Exception {
        dynamo.close();
        dynalite.close();
    }

    @Override
    protected Store newEmptyStore() {
        String table = "herald-" + UUID.randomUUID();
        HeraldTable.create(dynamo, table);
        return new DynamoDbStore(dynamo, table, Clock.systemUTC());
    }
}
