package dev.herald.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.CountReadings;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.FunctionProcess;
import dev.herald.testkit.GcLog;
import dev.herald.testkit.LambdaEvents;
import dev.herald.testkit.LambdaRuntimeApi;
import dev.herald.testkit.ScratchDirectory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A list of a million members, through the functions as Lambda runs them (the runtime interface client,
 * each JVM capped at {@code -Xmx256m}), DynamoDB on dynalite behind a meter of its capacity units, SES on
 * a stub answering every call after 50 ms: the API function takes the members in pages of 10,000; a message
 * names the list; one send function invocation copies the list into the message and sends it at the message
 * system's rate, while the API function reads the message every few seconds and every reading's counts are
 * checked (they add up to the total, the total never shrinks, nothing sent goes back). It reports the intake
 * time, the time to SENT, each function's heap (from its collector's log), the DynamoDB units and the
 * Lambda GB-seconds of each step, and what a million costs beyond SES at 14/s and at 1,000/s.
 * <p>
 * Run after {@code mvn install -DskipTests}:
 * {@code java -cp functions/coldstart/target/herald-coldstart.jar dev.herald.coldstart.ScaleBenchmark [members] [rate]}
 * (1,000,000 members at 2,000/s by default).
 */
public final class ScaleBenchmark {

    private static final int PAGE = 10_000;
    private static final Duration SES_LATENCY = Duration.ofMillis(50);
    private static final Duration READING_INTERVAL = Duration.ofSeconds(5);
    private static final String HEAP = "-Xmx256m";
    /** The functions' memory in template.yaml: what Lambda bills a second of each at. */
    private static final double API_FUNCTION_GB = 1.0;
    private static final double SEND_FUNCTION_GB = 0.25;
    /** What one send invocation sends a second, as template.yaml tells the send function (HERALD_WORKER_RATE). */
    private static final double WORKER_RATE = 400;
    /** Lambda on arm64, DynamoDB on demand, in eu-west-1 (USD). */
    private static final double PRICE_GB_SECOND = 0.0000133334;
    private static final double PRICE_INVOCATION = 0.0000002;
    private static final double PRICE_WRITE_UNIT = 1.25e-6;
    private static final double PRICE_READ_UNIT = 0.25e-6;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 2_000;
        Path apiJar = LambdaJvm.functionJar(ScaleBenchmark.class, "api", "herald-api.jar");
        Path sendJar = LambdaJvm.functionJar(ScaleBenchmark.class, "send", "herald-send.jar");
        Path client = LambdaJvm.runtimeInterfaceClient(ScaleBenchmark.class);
        try (Emulator dynalite = Emulator.dynalite(); DynamoDbMeter meter = DynamoDbMeter.start(dynalite.endpoint());
             SesStub ses = SesStub.start(SES_LATENCY);
             DynamoDbClient dynamo = AwsClients.dynamoDb(meter.endpoint());
             ScratchDirectory scratch = ScratchDirectory.create("herald-scale");
             LambdaRuntimeApi apiRuntime = LambdaRuntimeApi.start();
             LambdaRuntimeApi sendRuntime = LambdaRuntimeApi.start();
             FunctionProcess api = FunctionProcess.start(apiJar, "dev.herald.api.ApiHandler", "herald-api",
                     apiRuntime.address(), environment(meter, ses, scratch.path().resolve("api-gc.log")), client,
                     scratch.path().resolve("api"));
             FunctionProcess send = FunctionProcess.start(sendJar, "dev.herald.send.SendHandler", "herald-send",
                     sendRuntime.address(), environment(meter, ses, scratch.path().resolve("send-gc.log")), client,
                     scratch.path().resolve("send"))) {
            Seeder seeder = new Seeder(dynamo, ses.endpoint(), rate);
            System.out.printf("Herald at scale: a list of %,d members, sent at %,.0f/s; API and send functions under the "
                            + "runtime interface client (%s %s), DynamoDB on dynalite behind a meter, SES stub %d ms a call; "
                            + "%d cores, Java %s%n", members, rate, String.join(" ", LambdaJvm.FLAGS), HEAP,
                    SES_LATENCY.toMillis(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            meter.takeUsage();

            Step intake = intake(apiRuntime, members);
            DynamoDbMeter.Usage intakeUsage = meter.takeUsage();
            report("intake", intake, intakeUsage, members, API_FUNCTION_GB);

            String taskId = seeder.immediateMessageToList(intake.listId());
            meter.takeUsage();
            ses.measure();
            Step sending = send(apiRuntime, sendRuntime, taskId, members);
            DynamoDbMeter.Usage sendUsage = meter.takeUsage();
            report("copy and send", sending, sendUsage, members, SEND_FUNCTION_GB);
            if (ses.mails() != members) {
                throw new IllegalStateException("SES took " + ses.mails() + " mails, not " + members);
            }
            System.out.printf("send function: %,.0f recipients/s, %.0f s of CPU (%.2f ms a recipient); SES calls in flight "
                            + "%.1f on average%n", members / sending.seconds(), send.cpuTime().toMillis() / 1000.0,
                    send.cpuTime().toNanos() / 1e6 / members, ses.averageInFlight());
            System.out.printf("heap, API function: %s; send function: %s%n", GcLog.heap(scratch.path().resolve("api-gc.log")),
                    GcLog.heap(scratch.path().resolve("send-gc.log")));
            costs(sendUsage, send.cpuTime(), members);
            if (!api.isAlive() || !send.isAlive()) {
                throw new IllegalStateException("a function died: " + api.errors() + send.errors());
            }
        }
    }

    /** The functions' settings, with their JVMs capped and logging their collections. */
    private static Map<String, String> environment(DynamoDbMeter meter, SesStub ses, Path gcLog) {
        Map<String, String> environment = new HashMap<>(LambdaJvm.environment(meter.endpoint(), ses.endpoint()));
        // Lambda passes JAVA_TOOL_OPTIONS to its JVM as any JVM takes it: a function's own flags go there.
        environment.put("JAVA_TOOL_OPTIONS", HEAP + " -Xlog:gc:file=" + gcLog);
        // One invocation sends it all: what one can do is the measure (no Lambda service here to start workers).
        environment.put("HERALD_MAX_WORKERS", "1");
        return environment;
    }

    private record Step(String listId, double seconds, double functionSeconds, int invocations) {
    }

    private static Step intake(LambdaRuntimeApi api, int members) throws Exception {
        long start = System.nanoTime();
        JsonNode list = call(api, "POST", "/v1/lists", Map.of("messageSystem", Seeder.SYSTEM, "name", "Scale"), 201);
        String listId = list.get("id").asText();
        double functionSeconds = 0;
        int invocations = 1;
        for (int from = 0; from < members; from += PAGE) {
            List<Map<String, Object>> page = new ArrayList<>(PAGE);
            for (int i = from; i < Math.min(members, from + PAGE); i++) {
                page.add(Map.of("email", String.format("reader%07d@example.com", i), "name", "Reader " + i,
                        "data", Map.of("n", i, "plan", i % 3 == 0 ? "pro" : "free")));
            }
            long call = System.nanoTime();
            JsonNode put = call(api, "POST", "/v1/lists/" + listId + "/members", Map.of("members", page), 200);
            functionSeconds += (System.nanoTime() - call) / 1e9;
            invocations++;
            if (put.get("added").asInt() != page.size()) {
                throw new IllegalStateException("a page was not added whole: " + put);
            }
        }
        JsonNode read = call(api, "GET", "/v1/lists/" + listId, null, 200);
        if (read.get("memberCount").asLong() != members) {
            throw new IllegalStateException("the list counts " + read.get("memberCount") + " members, not " + members);
        }
        return new Step(listId, (System.nanoTime() - start) / 1e9, functionSeconds, invocations);
    }

    /**
     * One invocation sends the message; meanwhile the API function reads it every few seconds, and every reading
     * must add up.
     */
    private static Step send(LambdaRuntimeApi api, LambdaRuntimeApi sendRuntime, String taskId, int members)
            throws Exception {
        String messageId = null;
        long start = System.nanoTime();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return sendRuntime.invoke("{\"taskId\":\"" + taskId + "\",\"trigger\":\"IMMEDIATE\"}", Duration.ofMinutes(15));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        CountReadings readings = new CountReadings(members);
        while (!answer.isDone()) {
            Thread.sleep(READING_INTERVAL.toMillis());
            if (messageId == null) {
                JsonNode listed = call(api, "GET", "/v1/messages?limit=1", null, 200).get("items");
                messageId = listed.isEmpty() ? null : listed.get(0).get("id").asText();
                continue;
            }
            JsonNode message = call(api, "GET", "/v1/messages/" + messageId, null, 200);
            check(readings, message);
            System.out.printf("  %5.0f s: %s, %,d of %,d sent%n", (System.nanoTime() - start) / 1e9,
                    message.get("status").asText(), message.get("counts").get("sent").asInt(),
                    message.get("counts").get("total").asInt());
        }
        String result = answer.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode sent = call(api, "GET", "/v1/messages/" + messageId, null, 200);
        check(readings, sent);
        if (!result.contains("\"COMPLETED\"") || !sent.get("status").asText().equals("SENT")
                || sent.get("counts").get("sent").asInt() != members) {
            throw new IllegalStateException("the message was not sent whole: " + result + " " + sent);
        }
        System.out.printf("  %d readings of the message while it was sent, every one adding up%n", readings.readings());
        return new Step(null, seconds, seconds, 1);
    }

    @SuppressWarnings("unchecked")
    private static void check(CountReadings readings, JsonNode message) {
        readings.check(JSON.convertValue(message.get("counts"), Map.class), message.path("audience").path("resolved").asBoolean());
    }

    private static JsonNode call(LambdaRuntimeApi api, String method, String path, Object body, int expectedStatus)
            throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(LambdaEvents.fixture("api/schedule-message.json"));
        int query = path.indexOf('?');
        event.put("rawPath", query < 0 ? path : path.substring(0, query));
        event.put("rawQueryString", query < 0 ? "" : path.substring(query + 1));
        ObjectNode http = (ObjectNode) event.get("requestContext").get("http");
        http.put("method", method);
        http.put("path", event.get("rawPath").asText());
        if (body == null) {
            event.remove("body");
        } else {
            event.put("body", JSON.writeValueAsString(body));
        }
        JsonNode response = JSON.readTree(api.invoke(JSON.writeValueAsString(event), Duration.ofMinutes(1)));
        if (response.get("statusCode").asInt() != expectedStatus) {
            throw new IllegalStateException(method + " " + path + " answered " + response);
        }
        return JSON.readTree(response.get("body").asText());
    }

    private static void report(String step, Step measured, DynamoDbMeter.Usage usage, int members, double gigabytes) {
        double perMillion = 1_000_000.0 / members;
        System.out.printf("%s: %.0f s; DynamoDB %,d calls, %,.0f write and %,.0f read units (%,.0f and %,.0f per million "
                        + "members) %s; Lambda %.0f GB-s in %d invocations%n", step, measured.seconds(), usage.calls(),
                usage.writeUnits(), usage.readUnits(), usage.writeUnits() * perMillion, usage.readUnits() * perMillion,
                usage.callsByOperation(), measured.functionSeconds() * gigabytes, measured.invocations());
    }

    /**
     * A million recipients beyond SES: DynamoDB's units as measured, scaled to a million, and the send function's
     * time, which at a rate below what one invocation can push is the million divided by the rate.
     */
    private static void costs(DynamoDbMeter.Usage send, Duration cpu, int members) {
        double perMillion = 1_000_000.0 / members;
        double dynamoDb = (send.writeUnits() * PRICE_WRITE_UNIT + send.readUnits() * PRICE_READ_UNIT) * perMillion;
        for (double rate : new double[] {14, 1_000}) {
            int workers = (int) Math.ceil(rate / WORKER_RATE);
            double seconds = 1_000_000 / rate;
            double gbSeconds = seconds * workers * SEND_FUNCTION_GB;
            double lambda = gbSeconds * PRICE_GB_SECOND + Math.ceil(seconds / 870) * workers * PRICE_INVOCATION;
            System.out.printf("a million at %,.0f/s: %d send invocation(s) at once for %,.0f s (%,.0f GB-s at %.2f GB, $%.3f), "
                            + "DynamoDB $%.3f: $%.3f beyond SES (CPU needed: %.0f s)%n", rate, workers, seconds, gbSeconds,
                    SEND_FUNCTION_GB, lambda, dynamoDb, lambda + dynamoDb, cpu.toMillis() / 1000.0 * perMillion);
        }
    }
}
