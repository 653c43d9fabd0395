package dev.herald.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * A function jar run the way Lambda runs a Java function: a JVM with Lambda's flags whose class path
 * is the function's jar and the runtime interface client (with its own libraries) and nothing else,
 * started at the client's main class with the handler's name, in an environment holding only what
 * Lambda sets and the function's variables. Its standard output (the function's log stream) is kept.
 */
public final class FunctionProcess implements AutoCloseable {

    private static final String CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The client loads its native library from this path when set, instead of one fixed file in /tmp. */
    private static final String NATIVE_LIBRARY_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private FunctionProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code handler} of {@code functionJar} against the Runtime API at {@code runtimeApi}. */
    public static FunctionProcess start(Path functionJar, String handler, String functionName, String runtimeApi,
                                 Map<String, String> functionVariables, Path clientDirectory, Path workDirectory)
            throws IOException {
        Files.createDirectories(workDirectory);
        List<String> classPath = new ArrayList<>(List.of(functionJar.toString()));
        try (Stream<Path> client = Files.list(clientDirectory)) {
            client.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(jar -> classPath.add(jar.toString()));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(LAMBDA_JVM_FLAGS);
        command.add("-D" + NATIVE_LIBRARY_PROPERTY + "=" + nativeLibrary(clientDirectory, workDirectory));
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), CLIENT_MAIN, handler));

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        environment.put("_HANDLER", handler);
        environment.put("LAMBDA_TASK_ROOT", workDirectory.toString());
        environment.put("AWS_EXECUTION_ENV", "AWS_Lambda_java25");
        environment.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        environment.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/02/[1]test");
        environment.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        environment.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        environment.put("AWS_REGION", "eu-west-1");
        environment.put("AWS_DEFAULT_REGION", "eu-west-1");
        environment.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        environment.put("AWS_SECRET_ACCESS_KEY", "test");
        environment.put("AWS_SESSION_TOKEN", "test");
        environment.put("TZ", ":UTC");
        environment.putAll(functionVariables);

        ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path stdout = workDirectory.resolve("stdout.log");
        Path stderr = workDirectory.resolve("stderr.log");
        builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        return new FunctionProcess(builder.start(), stdout, stderr);
    }

    /** A copy of the client's native library for this machine, of this process's own. */
    private static Path nativeLibrary(Path clientDirectory, Path workDirectory) throws IOException {
        String architecture = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch_64";
            default -> throw new IllegalStateException("No runtime interface client library for " + System.getProperty("os.arch"));
        };
        Path client;
        try (Stream<Path> jars = Files.list(clientDirectory)) {
            client = jars.filter(jar -> jar.getFileName().toString().startsWith("aws-lambda-java-runtime-interface-client-"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("No runtime interface client in " + clientDirectory));
        }
        Path copy = workDirectory.resolve("libaws-lambda-jni.so");
        try (ZipFile zip = new ZipFile(client.toFile());
             InputStream library = zip.getInputStream(zip.getEntry("jni/libaws-lambda-jni.linux-" + architecture + ".so"))) {
            Files.copy(library, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    /** The lines the function has printed to standard output so far. */
    public List<String> output() throws IOException {
        return Files.readAllLines(stdout).stream().filter(line -> !line.isBlank()).toList();
    }

    public String errors() throws IOException {
        return Files.readString(stderr);
    }

    /** The CPU time the function's JVM has used so far, all its threads together. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElseThrow();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
