package dev.herald.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a JVM's heap held, read from its collector's log ({@code -Xlog:gc:file=...}) for the benchmarks. */
public final class GcLog {

    private static final Pattern COLLECTION = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private GcLog() {
    }

    /**
     * The most in use before a collection, and the most still live after a full one (a young collection leaves
     * the old generation's garbage in place until the next full one).
     */
    public static String heap(Path log) throws IOException {
        int mostUsed = 0;
        int mostLive = 0;
        int collections = 0;
        int full = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher collection = COLLECTION.matcher(line);
            if (collection.find()) {
                collections++;
                mostUsed = Math.max(mostUsed, Integer.parseInt(collection.group(1)));
                if (line.contains("Pause Full")) {
                    full++;
                    mostLive = Math.max(mostLive, Integer.parseInt(collection.group(2)));
                }
            }
        }
        return String.format("at most %d MB in use, at most %d MB live after a full collection (%d collections, %d full; "
                + "cap 256 MB)", mostUsed, mostLive, collections, full);
    }
}
