package dev.herald.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An AWS emulator running as a separate process on a free loopback port for the duration of a test
 * class: the npm emulators pinned in {@code infra/emulators} (installed with npm ci when missing),
 * or moto's server (a Python tool that this kind of machine comes with).
 */
public final class Emulator implements AutoCloseable {

    private static final String PORT = "{port}";
    private final Process process;
    private final int port;

    private Emulator(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** DynamoDB (dynalite, in memory), whose tables are active as soon as they are created. */
    public static Emulator dynalite() throws IOException, InterruptedException {
        return node("node_modules/dynalite/cli.js", "--port", PORT, "--host", "127.0.0.1",
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0");
    }

    /** SES v2 (aws-ses-v2-local), with its store of sent mail at {@code /store}. */
    public static Emulator sesV2Local() throws IOException, InterruptedException {
        return node("node_modules/aws-ses-v2-local/dist/cli.js", "--port", PORT, "--host", "127.0.0.1");
    }

    /**
     * moto's server: EventBridge Scheduler, KMS and many more services behind one endpoint, in
     * memory, for account 123456789012.
     */
    public static Emulator moto() throws IOException, InterruptedException {
        if (!onPath("moto_server")) {
            throw new IllegalStateException("moto_server is needed to emulate EventBridge Scheduler and KMS: it comes "
                    + "with moto 5.2 (Python 3), installed on Herald's build machines; elsewhere install it with "
                    + "pip install 'moto[server]==5.2.1' and run the build again.");
        }
        return launch(List.of("moto_server", "-H", "127.0.0.1", "-p", PORT), Path.of("").toAbsolutePath());
    }

    /** Starts {@code node <script relative to infra/emulators> <arguments>}. */
    private static Emulator node(String script, String... arguments) throws IOException, InterruptedException {
        Path emulators = emulatorsDirectory();
        if (!Files.exists(emulators.resolve("node_modules/.package-lock.json"))) {
            run(emulators, "npm", "ci", "--no-audit", "--no-fund");
        }
        List<String> command = new ArrayList<>(List.of(node(), emulators.resolve(script).toString()));
        command.addAll(List.of(arguments));
        return launch(command, emulators);
    }

    /** Runs {@code command}, with {@value #PORT} replaced by a free port, until it listens there. */
    private static Emulator launch(List<String> command, Path directory) throws IOException, InterruptedException {
        int port = freePort();
        List<String> resolved = command.stream().map(argument -> argument.replace(PORT, String.valueOf(port))).toList();
        Process process = new ProcessBuilder(resolved).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Emulator emulator = new Emulator(process, port);
        emulator.awaitListening(Duration.ofSeconds(30));
        return emulator;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening(Duration limit) throws InterruptedException {
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The emulator exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("The emulator did not listen on port " + port + " within " + limit);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    private static String node() {
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return "node";
            }
        } catch (IOException | InterruptedException e) {
            // reported below
        }
        throw new IllegalStateException("Node.js is needed to run the AWS emulators of infra/emulators "
                + "(dynalite, aws-ses-v2-local): install Node 20 or newer and run the build again.");
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        node();
        Process process = new ProcessBuilder(command).directory(directory.toFile()).inheritIO().start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed in " + directory);
        }
    }

    private static Path emulatorsDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("infra/emulators/package.json"))) {
                return dir.resolve("infra/emulators");
            }
        }
        throw new IllegalStateException("infra/emulators/package.json not found above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
