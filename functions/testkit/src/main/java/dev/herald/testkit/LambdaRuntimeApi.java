package dev.herald.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Lambda Runtime API (2018-06-01) as a function's runtime sees it, on loopback: {@link #invoke}
 * queues an event that the runtime's next long poll receives, with the request id, deadline and
 * function ARN headers Lambda sends, and answers what the runtime posts back as the response, or
 * fails with the error it posts.
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:herald-test:live";

    private record Invocation(String requestId, String event, Instant deadline) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<String>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();

    private LambdaRuntimeApi(HttpServer server) {
        this.server = server;
    }

    public static LambdaRuntimeApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LambdaRuntimeApi api = new LambdaRuntimeApi(server);
        server.createContext(PREFIX, api::handle);
        server.setExecutor(api.threads);
        server.start();
        return api;
    }

    /** What {@code AWS_LAMBDA_RUNTIME_API} is set to: host and port. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Hands {@code event} to the function and waits for its response body. */
    public String invoke(String event, Duration timeout) throws Exception {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, Instant.now().plus(Duration.ofMinutes(15)));
        CompletableFuture<String> answer = new CompletableFuture<>();
        answers.put(invocation.requestId(), answer);
        pending.add(invocation);
        try {
            return CompletableFuture.anyOf(answer, initError).thenApply(String.class::cast).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("The function answered nothing within " + timeout, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (path.equals("invocation/next")) {
                Invocation next = pending.take();
                exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", next.requestId());
                exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(next.deadline().toEpochMilli()));
                exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
                exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                JsonResponses.send(exchange, 200, next.event());
            } else if (path.startsWith("invocation/") && path.endsWith("/response")) {
                answers.get(requestId(path)).complete(body);
                JsonResponses.send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (path.startsWith("invocation/") && path.endsWith("/error")) {
                answers.get(requestId(path)).completeExceptionally(new AssertionError("The function failed: " + body));
                JsonResponses.send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (path.equals("init/error")) {
                initError.completeExceptionally(new AssertionError("The function failed to start: " + body));
                JsonResponses.send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                JsonResponses.send(exchange, 404, "{\"errorMessage\":\"unknown path\"}");
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private static String requestId(String path) {
        return path.split("/")[1];
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
