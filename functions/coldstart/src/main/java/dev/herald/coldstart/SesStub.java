package dev.herald.coldstart;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.testkit.JsonResponses;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SES v2 on loopback as far as sending goes: {@code SendBulkEmail} and {@code SendEmail} accept every
 * entry after a fixed latency, with no quota (GetAccount tells a rate no sender reaches). It counts
 * the mails and the calls in flight: the most at once, and the average over the time it measured.
 */
final class SesStub implements AutoCloseable {

    private static final String UNLIMITED_ACCOUNT = "{\"SendQuota\":{\"Max24HourSend\":1.0E9,\"MaxSendRate\":1000000.0,"
            + "\"SentLast24Hours\":0.0},\"SendingEnabled\":true,\"ProductionAccessEnabled\":true}";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final ObjectMapper json = new ObjectMapper();
    private final long latencyMillis;
    private final AtomicLong mails = new AtomicLong();
    private int inFlight;
    private int mostInFlight;
    /** The integral of the calls in flight over time, in call-nanoseconds, since the last {@link #measure}. */
    private long inFlightNanos;
    private long lastChange = System.nanoTime();
    private long measuredFrom = System.nanoTime();

    private SesStub(HttpServer server, Duration latency) {
        this.server = server;
        this.latencyMillis = latency.toMillis();
    }

    static SesStub start(Duration latency) throws IOException {
        // Answers go out at once: with Nagle's algorithm against the client's delayed acknowledgements, each call
        // would take some 40 ms more than its latency.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        SesStub stub = new SesStub(server, latency);
        server.createContext("/", stub::handle);
        server.setExecutor(stub.threads);
        server.start();
        return stub;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts a measurement: the counts from now on. */
    synchronized void measure() {
        mails.set(0);
        mostInFlight = inFlight;
        inFlightNanos = 0;
        lastChange = System.nanoTime();
        measuredFrom = lastChange;
    }

    long mails() {
        return mails.get();
    }

    synchronized int mostInFlight() {
        return mostInFlight;
    }

    /** The calls in flight on average since the measurement started. */
    synchronized double averageInFlight() {
        long now = System.nanoTime();
        return (inFlightNanos + (long) inFlight * (now - lastChange)) / (double) Math.max(1, now - measuredFrom);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (path.equals("/v2/email/account")) {
            JsonResponses.send(exchange, 200, UNLIMITED_ACCOUNT);
            return;
        }
        changeInFlight(1);
        try {
            Thread.sleep(latencyMillis);
            if (path.equals("/v2/email/outbound-bulk-emails")) {
                int entries = countEntries(request);
                StringBuilder results = new StringBuilder("{\"BulkEmailEntryResults\":[");
                for (int i = 0; i < entries; i++) {
                    results.append(i == 0 ? "" : ",").append("{\"Status\":\"SUCCESS\",\"MessageId\":\"")
                            .append(UUID.randomUUID()).append("\"}");
                }
                mails.addAndGet(entries);
                JsonResponses.send(exchange, 200, results.append("]}").toString());
            } else if (path.equals("/v2/email/outbound-emails")) {
                mails.incrementAndGet();
                JsonResponses.send(exchange, 200, "{\"MessageId\":\"" + UUID.randomUUID() + "\"}");
            } else {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } finally {
            changeInFlight(-1);
        }
    }

    /**
     * The entries of a SendBulkEmail body, read as a stream of tokens (each entry skipped whole): the
     * stub shares the machine's cores with the function it measures, and building the tree cost as much
     * CPU as the function's own work.
     */
    private int countEntries(byte[] body) throws IOException {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            int entries = 0;
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = parser.currentName().equals("BulkEmailEntries");
                if (parser.nextToken() == JsonToken.START_ARRAY && wanted) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                        entries++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return entries;
        }
    }

    private synchronized void changeInFlight(int change) {
        long now = System.nanoTime();
        inFlightNanos += (long) inFlight * (now - lastChange);
        lastChange = now;
        inFlight += change;
        mostInFlight = Math.max(mostInFlight, inFlight);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
