package dev.herald.coldstart;

import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.LambdaEvents;
import dev.herald.testkit.ScratchDirectory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Warm functions, call after call: each function handles the same event 10,000 times in one JVM (as
 * one warm execution environment does, a new Lambda context each call), and the median time of each
 * window of 1,000 calls is reported beside the first window's. Flat means every window's ratio is
 * about 1. The API function lists a sender's messages (a DynamoDB query); the send function is fired
 * for a task that its first call sent, so every later call is a duplicate firing (a DynamoDB read),
 * against dynalite.
 * <p>
 * Run after {@code mvn install}: {@code java -cp functions/coldstart/target/herald-coldstart.jar
 * dev.herald.coldstart.WarmBenchmark [calls]}.
 */
public final class WarmBenchmark {

    private record Subject(String name, String handler, Path jar) {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path self = LambdaJvm.self(WarmBenchmark.class);
        List<Subject> subjects = List.of(
                new Subject("send function", "dev.herald.send.SendHandler", LambdaJvm.functionJar(WarmBenchmark.class, "send", "herald-send.jar")),
                new Subject("API function", "dev.herald.api.ApiHandler", LambdaJvm.functionJar(WarmBenchmark.class, "api", "herald-api.jar")));

        try (Emulator dynalite = Emulator.dynalite(); Emulator ses = Emulator.sesV2Local();
             DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint());
             ScratchDirectory scratch = ScratchDirectory.create("herald-warm")) {
            Seeder seeder = new Seeder(dynamo, ses.endpoint(), 1_000.0);
            Path events = scratch.path();
            Map<String, Path> eventOf = Map.of(
                    "send function", Files.writeString(events.resolve("send.json"),
                            "{\"taskId\":\"" + seeder.immediateMessage(1) + "\",\"trigger\":\"IMMEDIATE\"}"),
                    "API function", Files.writeString(events.resolve("api.json"), LambdaEvents.fixture("api/list-messages.json")));
            System.out.printf("Herald warm functions: %,d calls each in one JVM (%d cores, Java %s, %s)%n", calls,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), String.join(" ", LambdaJvm.FLAGS));
            for (Subject subject : subjects) {
                report(subject, run(subject, eventOf.get(subject.name()), calls,
                        LambdaJvm.environment(dynalite.endpoint(), ses.endpoint()), self));
            }
        }
    }

    private static List<Double> run(Subject subject, Path event, int calls, Map<String, String> environment, Path self)
            throws Exception {
        Process process = LambdaJvm.probe(List.of(subject.jar(), self), WarmProbe.class, environment,
                subject.handler(), event.toString(), String.valueOf(calls)).start();
        List<Double> windows = new ArrayList<>();
        String result = null;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(WarmProbe.WINDOW_LINE)) {
                    windows.add(Double.parseDouble(line.substring(WarmProbe.WINDOW_LINE.length())));
                } else if (line.startsWith(WarmProbe.RESULT_LINE)) {
                    result = line.substring(WarmProbe.RESULT_LINE.length());
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        boolean worked = result != null && (result.contains("\"outcome\":\"DUPLICATE\"") || result.contains("\"statusCode\":200"));
        if (!worked) {
            throw new IllegalStateException(subject.name() + " did not handle its events: " + result);
        }
        return windows;
    }

    private static void report(Subject subject, List<Double> windows) {
        System.out.printf("%s, median ms per call by window of %,d calls (and / the first window):%n", subject.name(), WarmProbe.WINDOW);
        for (int i = 0; i < windows.size(); i++) {
            System.out.printf("  calls %,6d-%,6d  %6.2f ms  %5.2fx%n", i * WarmProbe.WINDOW + 1, (i + 1) * WarmProbe.WINDOW,
                    windows.get(i), windows.get(i) / windows.get(0));
        }
    }
}
