package dev.herald.bench;

import dev.herald.testkit.ScratchDirectory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Measures the local runtime against Herald's timing goals, over real HTTP on loopback, in a
 * fresh data directory:
 * <ol>
 *   <li>accepting a 10,000-recipient message (goal: under 1 s);</li>
 *   <li>dispatching through the outbox (goal: 2,000 recipients/s or more), and through one with a
 *       100,000-entry suppression list (goal: within 10 % of the rate without);</li>
 *   <li>1,000 tasks due in the same second (goal: lateness p99 under 500 ms).</li>
 * </ol>
 * Run: {@code java -jar functions/bench/target/herald-bench.jar}. Every loop is bounded.
 */
public final class LocalBenchmarks {

    private static final String ADMIN = "bench-admin-token-0123456789";
    private static final ObjectMapper JSON = ObjectMapper.getDefault();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    private LocalBenchmarks(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        // The data folder (database and tens of thousands of .eml files) goes when the benchmarks end.
        try (ScratchDirectory dataDir = ScratchDirectory.create("herald-bench");
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "herald.data-dir", dataDir.path().toString(), "herald.admin-token", ADMIN, "micronaut.server.port", -1))) {
            LocalBenchmarks bench = new LocalBenchmarks(server.getURL().toString());
            bench.createFastOutboxes();
            System.out.printf("Herald local benchmarks (%d cores, Java %s)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            bench.acceptLargeMessage();
            bench.dispatchThroughOutbox();
            bench.fireManyTasksAtOnce();
        }
    }

    private void createFastOutboxes() throws Exception {
        for (String id : List.of("bench", "bench-listed")) {
            send("POST", "/v1/message-systems", Map.of("id", id, "name", "Benchmark outbox", "transport", "outbox",
                    "from", "bench@example.com", "maxSendRate", 100_000));
        }
        for (int call = 0; call < 10; call++) {
            List<String> addresses = new ArrayList<>(10_000);
            for (int i = 0; i < 10_000; i++) {
                addresses.add("s" + (call * 10_000 + i) + "@ex.io");
            }
            check(post("/v1/message-systems/bench-listed/suppressions", JSON.writeValueAsString(Map.of("addresses", addresses))), 200);
        }
    }

    /** Short addresses without data: a body of 10,000 recipients well within the 1 MB limit. */
    private static Map<String, Object> message(int recipients, String sendAt) {
        List<Map<String, Object>> list = new ArrayList<>(recipients);
        for (int i = 0; i < recipients; i++) {
            list.add(Map.of("email", "u" + i + "@ex.io"));
        }
        return sendAt == null
                ? Map.of("messageSystem", "bench", "subject", "Hello {{email}}", "text", "Hi {{email}}", "recipients", list)
                : Map.of("messageSystem", "bench", "subject", "Hello {{email}}", "text", "Hi {{email}}",
                "recipients", list, "sendAt", sendAt);
    }

    private void acceptLargeMessage() throws Exception {
        String body = JSON.writeValueAsString(message(10_000, Instant.now().plus(Duration.ofDays(1)).toString()));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = post("/v1/messages", body);
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            check(response, 202);
            if (i >= 2) { // the first two warm the JIT
                millis.add(elapsed);
            }
        }
        Collections.sort(millis);
        System.out.printf("1. accept a 10,000-recipient message (%d KB): median %d ms, max %d ms (goal < 1000 ms)%n",
                body.length() / 1024, millis.get(millis.size() / 2), millis.get(millis.size() - 1));
    }

    /**
     * Dispatch through an outbox without a suppression list and through one with 100,000 entries
     * (none of them a recipient, so that both send everyone). After a warm-up of each, nine pairs of
     * runs, one of each side back to back: a pair shares the machine's state of the moment (disk
     * write-back, other load), so the median of the pairs' ratios is what the list costs.
     */
    private void dispatchThroughOutbox() throws Exception {
        dispatchRate("bench"); // warms the JIT, so that neither side pays for it
        dispatchRate("bench-listed");
        List<Double> plain = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            double without = dispatchRate("bench");
            double with = dispatchRate("bench-listed");
            plain.add(without);
            ratios.add(with / without);
        }
        Collections.sort(plain);
        Collections.sort(ratios);
        System.out.printf("2. dispatch 10,000 recipients through the outbox: median %.0f recipients/s, best %.0f "
                + "(goal >= 2000/s)%n", plain.get(4), plain.get(8));
        System.out.printf("   with a 100,000-entry suppression list: median %.2fx the rate without (pairs %.2f-%.2f; "
                + "goal >= 0.90x)%n", ratios.get(4), ratios.get(0), ratios.get(8));
    }

    private double dispatchRate(String messageSystem) throws Exception {
        Map<String, Object> body = new HashMap<>(message(10_000, null));
        body.put("messageSystem", messageSystem);
        String id = id(check(post("/v1/messages", JSON.writeValueAsString(body)), 202));
        Map<String, Object> sent = awaitFinal(id, Duration.ofMinutes(2));
        Map<?, ?> run = (Map<?, ?>) ((List<?>) sent.get("runs")).get(0);
        Duration took = Duration.between(Instant.parse((String) run.get("startedAt")), Instant.parse((String) run.get("endedAt")));
        return ((Number) run.get("sent")).intValue() / (took.toMillis() / 1000.0);
    }

    private void fireManyTasksAtOnce() throws Exception {
        Instant due = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        String body = JSON.writeValueAsString(message(1, due.toString()));
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<String>> created = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            inFlight.acquire();
            created.add(http.sendAsync(request("POST", "/v1/messages", body), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> inFlight.release())
                    .thenApply(r -> id(check(r, 202))));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<String> future : created) {
            ids.add(future.join());
        }
        if (Instant.now().isAfter(due)) {
            throw new IllegalStateException("creating the tasks took longer than their lead time");
        }
        List<Long> lateness = new ArrayList<>();
        Instant lastDelivered = due;
        for (String id : ids) {
            Map<String, Object> sent = awaitFinal(id, Duration.ofMinutes(2));
            Map<?, ?> run = (Map<?, ?>) ((List<?>) sent.get("runs")).get(0);
            lateness.add(((Number) run.get("latenessMillis")).longValue());
            Instant ended = Instant.parse((String) run.get("endedAt"));
            lastDelivered = ended.isAfter(lastDelivered) ? ended : lastDelivered;
        }
        Collections.sort(lateness);
        System.out.printf("3. 1,000 tasks due at the same instant: lateness p50 %d ms, p99 %d ms, max %d ms "
                + "(goal p99 < 500 ms); all delivered %d ms after the instant%n", lateness.get(499), lateness.get(989),
                lateness.get(999), Duration.between(due, lastDelivered).toMillis());
    }

    private Map<String, Object> awaitFinal(String id, Duration limit) throws Exception {
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            Map<String, Object> message = json(check(get("/v1/messages/" + id), 200));
            if (!"SCHEDULED".equals(message.get("status")) && !"SENDING".equals(message.get("status"))) {
                return message;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("message " + id + " not finished within " + limit);
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .build();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(request("POST", path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request("GET", path, null), HttpResponse.BodyHandlers.ofString());
    }

    private void send(String method, String path, Object body) throws IOException, InterruptedException {
        check(http.send(request(method, path, JSON.writeValueAsString(body)), HttpResponse.BodyHandlers.ofString()), 201);
    }

    private static HttpResponse<String> check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("expected " + status + ", got " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
        return JSON.readValue(response.body(), Argument.mapOf(String.class, Object.class));
    }

    private static String id(HttpResponse<String> response) {
        try {
            return (String) json(response).get("id");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
