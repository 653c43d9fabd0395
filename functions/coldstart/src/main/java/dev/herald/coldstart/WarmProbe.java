package dev.herald.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import dev.herald.testkit.FakeLambdaContext;
import dev.herald.testkit.LambdaEvents;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs in the fresh JVM of one warm run: loads the handler by name as the Lambda runtime does, then
 * handles the same event {@code calls} times in a row, each with its own context, as a warm execution
 * environment does, timing each call (deserializing the event, handling it, serializing the result).
 * It prints the median of each window of {@value #WINDOW} calls ({@value #WINDOW_LINE}) and the last
 * result ({@value #RESULT_LINE}).
 * <p>Arguments: the handler class, the event file, the number of calls.
 */
public final class WarmProbe {

    static final int WINDOW = 1_000;
    static final String WINDOW_LINE = "WINDOW_MEDIAN_MS ";
    static final String RESULT_LINE = "LAST_RESULT ";

    private WarmProbe() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        Class<?> handlerClass = Class.forName(args[0]);
        RequestHandler handler = (RequestHandler) handlerClass.getDeclaredConstructor().newInstance();
        PojoSerializer<Object> in = (PojoSerializer<Object>) LambdaEvents.serializerFor(LambdaProbe.typeArgument(handlerClass, 0));
        PojoSerializer<Object> out = (PojoSerializer<Object>) LambdaEvents.serializerFor(LambdaProbe.typeArgument(handlerClass, 1));
        String event = Files.readString(Path.of(args[1]));
        int calls = Integer.parseInt(args[2]);

        long[] nanos = new long[calls];
        String result = null;
        for (int call = 0; call < calls; call++) {
            long start = System.nanoTime();
            Object output = handler.handleRequest(in.fromJson(event), new FakeLambdaContext("warm-" + call, 900_000));
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            out.toJson(output, json);
            nanos[call] = System.nanoTime() - start;
            result = json.toString(StandardCharsets.UTF_8);
        }
        for (int from = 0; from < calls; from += WINDOW) {
            long[] window = Arrays.copyOfRange(nanos, from, Math.min(calls, from + WINDOW));
            Arrays.sort(window);
            System.out.println(WINDOW_LINE + window[window.length / 2] / 1e6);
        }
        System.out.println(RESULT_LINE + result);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
