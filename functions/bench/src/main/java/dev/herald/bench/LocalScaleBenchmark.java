package dev.herald.bench;

import dev.herald.testkit.CountReadings;
import dev.herald.testkit.GcLog;
import dev.herald.testkit.ScratchDirectory;
import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A list of a million members on the local runtime: its jar started as a newcomer starts it, in a JVM capped at
 * {@code -Xmx256m} (the serial collector), over a fresh data directory. A million members go in over HTTP in pages of 10,000; a message
 * to the list is sent through the outbox (a million .eml files, removed with the directory at the end) while its
 * counts are read every two seconds and checked. It reports the intake and sending times and the heap (from
 * the collector's log).
 * <p>
 * Run after {@code mvn install -DskipTests}:
 * {@code java -cp functions/bench/target/herald-bench.jar dev.herald.bench.LocalScaleBenchmark [members]}.
 */
public final class LocalScaleBenchmark {

    private static final String ADMIN = "bench-admin-token-0123456789";
    private static final int PAGE = 10_000;
    private static final ObjectMapper JSON = ObjectMapper.getDefault();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    private LocalScaleBenchmark(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path jar = Path.of(LocalScaleBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent().getParent().resolve("local").resolve("target").resolve("herald-local.jar");
        try (ScratchDirectory dir = ScratchDirectory.create("herald-local-scale")) {
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path gcLog = dir.path().resolve("gc.log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // The serial collector, as on Lambda: its full collections tell the live heap.
                    "-Xmx256m", "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog, "-jar", jar.toString()).redirectErrorStream(true);
            builder.environment().putAll(Map.of("HERALD_DATA_DIR", dir.path().resolve("data").toString(),
                    "HERALD_ADMIN_TOKEN", ADMIN, "HERALD_PORT", String.valueOf(port)));
            Process herald = builder.start();
            try {
                awaitReady(herald);
                System.out.printf("Herald local runtime at scale: a list of %,d members, its jar in a JVM capped at -Xmx256m "
                        + "(%d cores, Java %s)%n", members, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
                new LocalScaleBenchmark("http://127.0.0.1:" + port).run(members);
                System.out.println("heap: " + GcLog.heap(gcLog));
            } finally {
                herald.destroy();
                herald.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitReady(Process herald) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(herald.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.contains("Herald is ready on")) {
                // The rest of its output is not read again: let it drain, so that the process never blocks on it.
                Thread drain = new Thread(() -> {
                    try {
                        out.lines().forEach(ignored -> { });
                    } catch (UncheckedIOException stopped) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IllegalStateException("the local runtime ended before it was ready");
    }

    @SuppressWarnings("unchecked")
    private void run(int members) throws Exception {
        call("POST", "/v1/message-systems", Map.of("id", "scale", "name", "Scale outbox", "transport", "outbox",
                "from", "scale@example.com", "maxSendRate", 100_000), 201);
        long start = System.nanoTime();
        String list = (String) call("POST", "/v1/lists", Map.of("messageSystem", "scale", "name", "Scale"), 201).get("id");
        for (int from = 0; from < members; from += PAGE) {
            List<Map<String, Object>> page = new ArrayList<>(PAGE);
            for (int i = from; i < Math.min(members, from + PAGE); i++) {
                page.add(Map.of("email", String.format("m%07d@ex.io", i)));
            }
            call("POST", "/v1/lists/" + list + "/members", Map.of("members", page), 200);
        }
        double intake = (System.nanoTime() - start) / 1e9;
        Object counted = call("GET", "/v1/lists/" + list, null, 200).get("memberCount");
        System.out.printf("intake: %.0f s (%,.0f members/s), the list counts %s%n", intake, members / intake, counted);

        start = System.nanoTime();
        String message = (String) call("POST", "/v1/messages", Map.of("messageSystem", "scale", "subject", "Hello {{email}}",
                "text", "Hi", "list", list), 202).get("id");
        Map<String, Object> read = Map.of();
        CountReadings readings = new CountReadings(members);
        while (!"SENT".equals(read.get("status"))) {
            Thread.sleep(2_000);
            read = call("GET", "/v1/messages/" + message, null, 200);
            readings.check((Map<String, ?>) read.get("counts"), ((Map<?, ?>) read.get("audience")).get("resolved") == Boolean.TRUE);
            if (String.valueOf(read.get("status")).matches("FAILED|PARTIALLY_SENT|CANCELLED|EXPIRED")) {
                throw new IllegalStateException("the message ended " + read);
            }
        }
        double sending = (System.nanoTime() - start) / 1e9;
        System.out.printf("copy and send: SENT after %.0f s (%,.0f recipients/s); %d readings, every one adding up%n",
                sending, members / sending, readings.readings());
    }

    private Map<String, Object> call(String method, String path, Object body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readValue(response.body(), Argument.mapOf(String.class, Object.class));
    }
}
