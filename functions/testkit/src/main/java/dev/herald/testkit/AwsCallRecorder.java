package dev.herald.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback proxy in front of an emulator of an AWS JSON-protocol service (DynamoDB, ...): it forwards every
 * call, and records the IAM action each one needs ({@code X-Amz-Target: DynamoDB_20120810.PutItem} is
 * {@code dynamodb:PutItem}), so that a test can hold a function's IAM role to the calls its code makes. A
 * subclass may rewrite the request and observe the answer.
 */
public class AwsCallRecorder implements AutoCloseable {

    private static final List<String> FORWARDED_HEADERS = List.of("Content-Type", "X-Amz-Target", "X-Amz-Date",
            "Authorization", "X-Amz-Security-Token");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final String servicePrefix;
    private final Set<String> actions = new TreeSet<>();

    /** @param servicePrefix the IAM service prefix of the service's actions ({@code dynamodb}) */
    protected AwsCallRecorder(String targetEndpoint, String servicePrefix) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.target = URI.create(targetEndpoint);
        this.servicePrefix = servicePrefix;
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public static AwsCallRecorder start(String targetEndpoint, String servicePrefix) throws IOException {
        return new AwsCallRecorder(targetEndpoint, servicePrefix);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The IAM actions of the calls so far ({@code dynamodb:Query}, ...). */
    public synchronized Set<String> actions() {
        return Set.copyOf(actions);
    }

    /** The request's body as it goes to the emulator: as it came, unless a subclass changes it. */
    protected byte[] rewrite(String operation, byte[] body) {
        return body;
    }

    /** Sees each answered call: its operation, the request as forwarded and the emulator's answer. */
    protected void answered(String operation, byte[] request, int status, byte[] response) {
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            synchronized (this) {
                actions.add(servicePrefix + ":" + operation);
            }
            byte[] request = rewrite(operation, exchange.getRequestBody().readAllBytes());
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getPath()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request));
            for (String header : FORWARDED_HEADERS) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    forward.header(header, value);
                }
            }
            HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            answered(operation, request, response.statusCode(), response.body());
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            if (response.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
