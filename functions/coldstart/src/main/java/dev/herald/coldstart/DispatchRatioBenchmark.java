package dev.herald.coldstart;

import dev.herald.testkit.AwsClients;
import dev.herald.testkit.Emulator;
import dev.herald.testkit.FunctionProcess;
import dev.herald.testkit.LambdaRuntimeApi;
import dev.herald.testkit.ScratchDirectory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How much faster Herald's send function delivers than the naive pattern, side by side in one run:
 * the send function jar started as Lambda starts it (the runtime interface client polling a
 * Runtime API served here) sends a message of 10,000 recipients against an SES stub that answers
 * every call after 50 ms with no quota, DynamoDB on dynalite; then one {@code SendEmail} per
 * recipient in sequence, with the same SDK, against the same stub. Three rounds, alternating, after
 * a warm-up of each (the function sends one message of the same size first). It reports recipients
 * a second, the ratio, and the SES calls in flight.
 * <p>
 * Run after {@code mvn install -DskipTests}:
 * {@code java -cp functions/coldstart/target/herald-coldstart.jar dev.herald.coldstart.DispatchRatioBenchmark}.
 */
public final class DispatchRatioBenchmark {

    private static final Duration SES_LATENCY = Duration.ofMillis(50);
    private static final int RECIPIENTS = 10_000;
    /** The naive loop's sample: at about 18 a second, 10,000 would take nine minutes a round. */
    private static final int NAIVE_RECIPIENTS = 300;
    private static final int ROUNDS = 3;

    private DispatchRatioBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path sendJar = LambdaJvm.functionJar(DispatchRatioBenchmark.class, "send", "herald-send.jar");
        Path client = LambdaJvm.runtimeInterfaceClient(DispatchRatioBenchmark.class);
        try (Emulator dynalite = Emulator.dynalite(); SesStub ses = SesStub.start(SES_LATENCY);
             DynamoDbClient dynamo = AwsClients.dynamoDb(dynalite.endpoint());
             ScratchDirectory scratch = ScratchDirectory.create("herald-ratio");
             LambdaRuntimeApi runtime = LambdaRuntimeApi.start();
             FunctionProcess function = FunctionProcess.start(sendJar, "dev.herald.send.SendHandler", "herald-send",
                     runtime.address(), LambdaJvm.environment(dynalite.endpoint(), ses.endpoint()), client,
                     scratch.path().resolve("send"));
             NaiveSender naive = new NaiveSender(ses.endpoint())) {
            Seeder seeder = new Seeder(dynamo, ses.endpoint(), null);
            System.out.printf("Herald dispatch ratio: the send function under the runtime interface client (%s), "
                            + "%,d recipients, against naive SendEmail in sequence, %,d recipients; SES stub %d ms a call, "
                            + "no quota; %d cores, Java %s%n", String.join(" ", LambdaJvm.FLAGS), RECIPIENTS,
                    NAIVE_RECIPIENTS, SES_LATENCY.toMillis(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            herald(runtime, seeder, ses, RECIPIENTS); // the function warm, as through most of a long send
            naive.send(20);
            for (int round = 1; round <= ROUNDS; round++) {
                Measured fast = herald(runtime, seeder, ses, RECIPIENTS);
                ses.measure();
                double naivePerSecond = NAIVE_RECIPIENTS / (naive.send(NAIVE_RECIPIENTS) / 1e9);
                System.out.printf("round %d: Herald %,.0f recipients/s (SES calls in flight: %.1f on average, %d at most); "
                                + "naive %,.1f/s; ratio %.0fx%n", round, fast.perSecond(), fast.averageInFlight(),
                        fast.mostInFlight(), naivePerSecond, fast.perSecond() / naivePerSecond);
            }
            if (!function.isAlive()) {
                throw new IllegalStateException("the send function died: " + function.errors());
            }
        }
    }

    private record Measured(double perSecond, double averageInFlight, int mostInFlight) {
    }

    /** A fresh message of {@code recipients}, sent by one invocation of the function, timed from the event to its answer. */
    private static Measured herald(LambdaRuntimeApi runtime, Seeder seeder, SesStub ses, int recipients) throws Exception {
        String event = "{\"taskId\":\"" + seeder.immediateMessage(recipients) + "\",\"trigger\":\"IMMEDIATE\"}";
        ses.measure();
        long start = System.nanoTime();
        String answer = runtime.invoke(event, Duration.ofMinutes(10));
        long nanos = System.nanoTime() - start;
        if (!answer.contains("\"COMPLETED\"") || ses.mails() != recipients) {
            throw new IllegalStateException("the run did not send the whole message (" + ses.mails() + " mails): " + answer);
        }
        return new Measured(recipients / (nanos / 1e9), ses.averageInFlight(), ses.mostInFlight());
    }
}
