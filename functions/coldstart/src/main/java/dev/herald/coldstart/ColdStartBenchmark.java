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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold starts of the two Lambda functions beside a minimal plain-Java handler, measured in one run:
 * each sample is a fresh JVM (the flags Lambda's Java runtimes use) that loads the handler by class
 * name and handles one event, as the Lambda runtime does ({@link LambdaProbe}); the time is from
 * starting the process to the handled event. The functions work against dynalite and aws-ses-v2-local:
 * the send function delivers a fresh 10-recipient message per sample, the API function lists the
 * caller's messages. Rounds rotate the order so that no handler always runs first.
 * <p>
 * Run after {@code mvn install}: {@code java -jar functions/coldstart/target/herald-coldstart.jar [samples]}.
 */
public final class ColdStartBenchmark {

    private static final long SAMPLE_TIMEOUT_SECONDS = 120;

    private enum Kind { PLAIN, SEND, API }

    /** A handler as one sample runs it: {@code primed} first runs its SnapStart priming. */
    private record Subject(String name, Kind kind, String handler, List<Path> classPath, boolean primed) {
    }

    /** A sample's times: JVM start to handled event, and the event alone. */
    private record Sample(double coldMillis, double eventMillis) {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path self = LambdaJvm.self(ColdStartBenchmark.class);
        Path sendJar = LambdaJvm.functionJar(ColdStartBenchmark.class, "send", "herald-send.jar");
        Path apiJar = LambdaJvm.functionJar(ColdStartBenchmark.class, "api", "herald-api.jar");
        List<Subject> subjects = List.of(
                new Subject("plain handler", Kind.PLAIN, PlainHandler.class.getName(), List.of(self), false),
                new Subject("send function", Kind.SEND, "dev.herald.send.SendHandler", List.of(sendJar, self), false),
                new Subject("API function", Kind.API, "dev.herald.api.ApiHandler", List.of(apiJar, self), false),
                new Subject("send function", Kind.SEND, "dev.herald.send.SendHandler", List.of(sendJar, self), true),
                new Subject("API function", Kind.API, "dev.herald.api.ApiHandler", List.of(apiJar, self), true));

        try (Emulator dynalite = Emulator.dynalite(); Emulator ses = Emulator.sesV2Local();
             DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint());
             ScratchDirectory scratch = ScratchDirectory.create("herald-coldstart")) {
            Seeder seeder = new Seeder(dynamo, ses.endpoint(), 1_000.0);
            Path events = scratch.path();
            Path plainEvent = Files.writeString(events.resolve("plain.json"), "{\"name\":\"bench\"}");
            Path apiEvent = Files.writeString(events.resolve("api.json"), LambdaEvents.fixture("api/list-messages.json"));
            Map<String, String> environment = LambdaJvm.environment(dynalite.endpoint(), ses.endpoint());

            System.out.printf("Herald cold starts: %d fresh JVMs per handler (%d cores, Java %s, %s)%n", samples,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    String.join(" ", LambdaJvm.FLAGS));
            Map<Subject, List<Sample>> results = new LinkedHashMap<>();
            subjects.forEach(s -> results.put(s, new ArrayList<>()));
            for (int round = 0; round < samples; round++) {
                List<Subject> order = new ArrayList<>(subjects);
                Collections.rotate(order, round);
                for (Subject subject : order) {
                    Path event = switch (subject.kind()) {
                        case PLAIN -> plainEvent;
                        case API -> apiEvent;
                        case SEND -> Files.writeString(events.resolve("send-" + round + "-" + subject.primed() + ".json"),
                                "{\"taskId\":\"" + seeder.immediateMessage(10) + "\",\"trigger\":\"IMMEDIATE\"}");
                    };
                    results.get(subject).add(sample(subject, event, environment));
                }
            }
            report(results);
        }
    }

    /** One fresh JVM: from starting it to its handled event, and the event alone. */
    private static Sample sample(Subject subject, Path event, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = subject.primed()
                ? LambdaJvm.probe(subject.classPath(), LambdaProbe.class, environment, subject.handler(), event.toString(), "primed")
                : LambdaJvm.probe(subject.classPath(), LambdaProbe.class, environment, subject.handler(), event.toString());
        long start = System.nanoTime();
        Process process = builder.start();
        String handled = null;
        double eventMillis = Double.NaN;
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith(LambdaProbe.FIRST_EVENT)) {
                    eventMillis = Double.parseDouble(line.substring(LambdaProbe.FIRST_EVENT.length()));
                } else if (line.startsWith(LambdaProbe.HANDLED)) {
                    handled = line.substring(LambdaProbe.HANDLED.length());
                    break;
                }
            }
        }
        double coldMillis = (System.nanoTime() - start) / 1e6;
        if (!process.waitFor(SAMPLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (handled == null || !succeeded(subject, handled)) {
            throw new IllegalStateException(subject.name() + " did not handle its event: " + handled);
        }
        return new Sample(coldMillis, eventMillis);
    }

    /** A sample counts only when the handler did the real work: delivered, or answered 200. */
    private static boolean succeeded(Subject subject, String result) {
        return switch (subject.kind()) {
            case SEND -> result.contains("\"outcome\":\"COMPLETED\"") && result.contains("\"sent\":10");
            case API -> result.contains("\"statusCode\":200");
            case PLAIN -> result.contains("hello bench");
        };
    }

    private static void report(Map<Subject, List<Sample>> results) {
        double plain = median(results.values().iterator().next().stream().map(Sample::coldMillis).toList());
        System.out.println("Cold start, fresh JVM to first handled event:");
        System.out.printf("  %-14s %10s %8s %8s %14s%n", "handler", "median ms", "min", "max", "median / plain");
        results.forEach((subject, samples) -> {
            if (!subject.primed()) {
                List<Double> cold = samples.stream().map(Sample::coldMillis).toList();
                System.out.printf("  %-14s %10.0f %8.0f %8.0f %13.1fx%n", subject.name(), median(cold),
                        Collections.min(cold), Collections.max(cold), median(cold) / plain);
            }
        });
        System.out.println("Primed as SnapStart snapshots it (beforeCheckpoint), the first event alone:");
        System.out.printf("  %-14s %10s %8s %8s %14s%n", "handler", "median ms", "min", "max", "median / plain");
        results.forEach((subject, samples) -> {
            if (subject.primed()) {
                List<Double> event = samples.stream().map(Sample::eventMillis).toList();
                System.out.printf("  %-14s %10.0f %8.0f %8.0f %13.1fx%n", subject.name(), median(event),
                        Collections.min(event), Collections.max(event), median(event) / plain);
            }
        });
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
