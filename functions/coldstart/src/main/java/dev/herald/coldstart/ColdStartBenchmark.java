package dev.herald.coldstart;

import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.SesTransports;
import dev.herald.core.access.Caller;
import dev.herald.core.access.Role;
import dev.herald.core.port.Ids;
import dev.herald.core.render.TemplateRenderer;
import dev.herald.core.schedule.RecipientInput;
import dev.herald.core.schedule.ScheduleRequest;
import dev.herald.core.schedule.ScheduleService;
import dev.herald.core.schedule.SchedulingLimits;
import dev.herald.core.system.MessageSystemService;
import dev.herald.core.system.MessageSystemSpec;
import dev.herald.core.testing.RecordingScheduler;
import dev.herald.core.testing.ReversingCipher;
import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.HeraldTable;
import dev.herald.testkit.LambdaEvents;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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

    /** As Lambda's Java runtimes start the JVM: tiered compilation stopped at C1, the serial collector. */
    private static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");
    private static final String TABLE = "herald-coldstart";
    private static final String SYSTEM = "bench";
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
        Path self = Path.of(ColdStartBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path functions = self.getParent().getParent().getParent();
        Path sendJar = requireFile(functions.resolve("send/target/herald-send.jar"));
        Path apiJar = requireFile(functions.resolve("api/target/herald-api.jar"));
        List<Subject> subjects = List.of(
                new Subject("plain handler", Kind.PLAIN, PlainHandler.class.getName(), List.of(self), false),
                new Subject("send function", Kind.SEND, "dev.herald.send.SendHandler", List.of(sendJar, self), false),
                new Subject("API function", Kind.API, "dev.herald.api.ApiHandler", List.of(apiJar, self), false),
                new Subject("send function", Kind.SEND, "dev.herald.send.SendHandler", List.of(sendJar, self), true),
                new Subject("API function", Kind.API, "dev.herald.api.ApiHandler", List.of(apiJar, self), true));

        try (Emulator dynalite = Emulator.dynalite(); Emulator ses = Emulator.sesV2Local();
             DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint())) {
            HeraldTable.create(dynamo, TABLE, DynamoDbStore.INDEXES);
            Seeder seeder = new Seeder(dynamo, ses.endpoint());
            Path events = Files.createTempDirectory("herald-coldstart");
            Path plainEvent = Files.writeString(events.resolve("plain.json"), "{\"name\":\"bench\"}");
            Path apiEvent = Files.writeString(events.resolve("api.json"), LambdaEvents.fixture("api/list-messages.json"));
            Map<String, String> environment = environment(dynalite.endpoint(), ses.endpoint());

            System.out.printf("Herald cold starts: %d fresh JVMs per handler (%d cores, Java %s, %s)%n", samples,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    String.join(" ", LAMBDA_JVM_FLAGS));
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

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: run `mvn install -DskipTests` first");
        }
        return path;
    }

    /** The functions' settings, pointed at the emulators; no call in these events reaches the other services. */
    private static Map<String, String> environment(String dynamoDbEndpoint, String sesEndpoint) {
        return Map.of(
                "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "AKIDCOLDSTART",
                "AWS_SECRET_ACCESS_KEY", "coldstart",
                "HERALD_TABLE", TABLE,
                "HERALD_KMS_KEY_ID", "alias/herald",
                "HERALD_SEND_FUNCTION_ARN", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live",
                "HERALD_SCHEDULER_ROLE_ARN", "arn:aws:iam::123456789012:role/herald-scheduler",
                "HERALD_AWS_DYNAMODB_ENDPOINT", dynamoDbEndpoint,
                "HERALD_AWS_SES_ENDPOINT", sesEndpoint);
    }

    /** One fresh JVM: from starting it to its handled event, and the event alone. */
    private static Sample sample(Subject subject, Path event, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, subject.classPath().stream().map(Path::toString).toList()));
        command.add(LambdaProbe.class.getName());
        command.add(subject.handler());
        command.add(event.toString());
        if (subject.primed()) {
            command.add("primed");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
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

    /** Stores what the API function would have stored: the message system and, per send sample, a message. */
    private static final class Seeder {
        private final ScheduleService schedule;
        private final RecordingScheduler scheduler = new RecordingScheduler();

        Seeder(DynamoDbClient dynamo, String sesEndpoint) {
            DynamoDbStore store = new DynamoDbStore(dynamo, TABLE, Clock.systemUTC());
            SesTransports ses = new SesTransports(SesV2Client.builder().region(Region.EU_WEST_1)
                    .endpointOverride(URI.create(sesEndpoint)).httpClient(UrlConnectionHttpClient.create()).build(),
                    UrlConnectionHttpClient.create(), URI.create(sesEndpoint));
            new MessageSystemService(store, new ReversingCipher(), ses, Clock.systemUTC()).createIfAbsent(
                    new MessageSystemSpec(SYSTEM, "Cold-start bench", true, "ses", "bench@example.com", null, null, 1_000.0,
                            null, null, null));
            schedule = new ScheduleService(store, scheduler, ses, new TemplateRenderer(), SchedulingLimits.defaults(),
                    Clock.systemUTC(), Ids.random());
        }

        /** A message for immediate sending; its task id. */
        String immediateMessage(int recipients) {
            List<RecipientInput> inputs = IntStream.range(0, recipients).mapToObj(i -> new RecipientInput(
                    "reader" + i + "@example.com", "Reader " + i, Map.of("n", i))).toList();
            schedule.schedule(new Caller("7b1d9c3e-alice", Role.SENDER), new ScheduleRequest(SYSTEM,
                    "Issue {{n}} for {{name}}", "Hello {{name}}", null, inputs, null, null, null), null, null);
            return scheduler.firedNow.get(scheduler.firedNow.size() - 1).id();
        }
    }
}
