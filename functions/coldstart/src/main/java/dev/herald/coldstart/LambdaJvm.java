package dev.herald.coldstart;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fresh JVM started as Lambda's Java runtimes start one (tiered compilation stopped at C1, the
 * serial collector), with the functions' settings pointed at the emulators, running one of this
 * module's probes.
 */
final class LambdaJvm {

    static final List<String> FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");

    private LambdaJvm() {
    }

    static ProcessBuilder probe(List<Path> classPath, Class<?> probe, Map<String, String> environment, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FLAGS);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        command.add(probe.getName());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        return builder;
    }

    /** The functions' settings, pointed at the emulators; no call in these events reaches the other services. */
    static Map<String, String> environment(String dynamoDbEndpoint, String sesEndpoint) {
        return Map.ofEntries(
                Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("AWS_ACCESS_KEY_ID", "AKIDBENCH"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "bench"),
                Map.entry("HERALD_TABLE", Seeder.TABLE),
                Map.entry("HERALD_KMS_KEY_ID", "alias/herald"),
                // Never read: the bench's message system sends without unsubscribe links.
                Map.entry("HERALD_UNSUBSCRIBE_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:herald-bench"),
                Map.entry("HERALD_PUBLIC_URL", "https://mail.example.com"),
                Map.entry("HERALD_SEND_FUNCTION_ARN", "arn:aws:lambda:eu-west-1:123456789012:function:herald-send:live"),
                Map.entry("HERALD_SCHEDULER_ROLE_ARN", "arn:aws:iam::123456789012:role/herald-scheduler"),
                Map.entry("HERALD_AWS_DYNAMODB_ENDPOINT", dynamoDbEndpoint),
                Map.entry("HERALD_AWS_SES_ENDPOINT", sesEndpoint));
    }

    /** The function jars beside this benchmark's own, built by {@code mvn install}. */
    static Path functionJar(Class<?> benchmark, String module, String jar) throws Exception {
        return built(benchmark, module, jar);
    }

    /** AWS's runtime interface client with its libraries, as the Lambda runtime module's build copies them. */
    static Path runtimeInterfaceClient(Class<?> benchmark) throws Exception {
        return built(benchmark, "lambda-runtime", "runtime-interface-client");
    }

    /** What a sibling module's build left in its target folder; missing until {@code mvn install}. */
    private static Path built(Class<?> benchmark, String module, String name) throws Exception {
        Path path = self(benchmark).getParent().getParent().getParent().resolve(module).resolve("target").resolve(name);
        if (!java.nio.file.Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: run `mvn install -DskipTests` first");
        }
        return path;
    }

    static Path self(Class<?> benchmark) throws Exception {
        return Path.of(benchmark.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
