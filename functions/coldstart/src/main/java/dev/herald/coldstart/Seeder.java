package dev.herald.coldstart;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.SesTransports;
import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.MessageViews;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.RecordingScheduler;
import dev.herald.core.testing.ReversingCipher;
import dev.herald.testkit.HeraldTable;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Stores what the API function would have stored: the benchmarks' table, message system and messages. */
final class Seeder {

    static final String TABLE = "herald-bench";
    static final String SYSTEM = "bench";
    /** The sender of the sample events. */
    static final Caller SENDER = new Caller("7b1d9c3e-alice", Role.SENDER);
    private final ScheduleService schedule;
    private final RecordingScheduler scheduler = new RecordingScheduler();

    /** With a message system sending at {@code maxSendRate} a second, or at the provider's quota when null. */
    Seeder(DynamoDbClient dynamo, String sesEndpoint, Double maxSendRate) {
        HeraldTable.create(dynamo, TABLE, DynamoDbStore.INDEXES);
        DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
        SesTransports ses = new SesTransports(SesV2Client.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create(sesEndpoint)).httpClient(UrlConnectionHttpClient.create()).build(),
                UrlConnectionHttpClient.create(), URI.create(sesEndpoint));
        new MessageSystemService(store, new ReversingCipher(), ses, Clock.systemUTC()).createIfAbsent(
                // No unsubscribe links: the bench runs without Secrets Manager (a link costs microseconds to seal).
                new MessageSystemSpec(SYSTEM, "Lambda bench", true, "ses", "bench@example.com", null, null, maxSendRate,
                        null, null, null, new MessageSystemSpec.UnsubscribeSpec(false, false)));
        schedule = new ScheduleService(store, scheduler, new MessageViews(store), ses, new TemplateRenderer(), SchedulingLimits.defaults(),
                Clock.systemUTC(), Ids.random());
    }

    /**
     * A message for immediate sending, as the sample events' sender, to recipients in address order (as an
     * audience read from a database by address comes, and as a list's chunks always are); its task id.
     */
    String immediateMessage(int recipients) {
        List<RecipientInput> inputs = IntStream.range(0, recipients).mapToObj(i -> new RecipientInput(
                String.format("reader%06d@example.com", i), "Reader " + i, Map.of("n", i))).toList();
        return immediately(new ScheduleRequest(SYSTEM, "Issue {{n}} for {{name}}", "Hello {{name}}", null, inputs, null,
                null, null, null));
    }

    /** A message to one of the sample events' sender's lists, for immediate sending; its task id. */
    String immediateMessageToList(String listId) {
        return immediately(new ScheduleRequest(SYSTEM, "Issue {{n}} for {{name}}", "Hello {{name}}", null, null, null,
                null, null, null, listId));
    }

    private String immediately(ScheduleRequest request) {
        schedule.schedule(SENDER, request, null, null);
        return scheduler.firedNow.get(scheduler.firedNow.size() - 1).id();
    }
}
