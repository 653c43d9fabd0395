package dev.herald.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import dev.herald.testkit.FakeLambdaContext;
import dev.herald.testkit.LambdaEvents;
import org.crac.Resource;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in the fresh JVM of one sample and does what the Lambda Java runtime does for a first
 * invocation: loads the handler class by name, creates it, deserializes the event for the handler's
 * input type with the serializer the runtime picks, invokes it, serializes the result. It prints
 * {@value #HANDLED} and the result; the benchmark times the JVM up to that line.
 * <p>
 * With {@code primed}, it first calls the handler's CRaC {@code beforeCheckpoint}, as SnapStart does
 * before it takes the snapshot, and prints how long the event then took ({@value #FIRST_EVENT}): what
 * a restored snapshot still has to do.
 * <p>Arguments: the handler class, the event file, optionally {@code primed}.
 */
public final class LambdaProbe {

    static final String HANDLED = "HANDLED ";
    static final String FIRST_EVENT = "FIRST_EVENT_MS ";

    private LambdaProbe() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        Class<?> handlerClass = Class.forName(args[0]);
        RequestHandler handler = (RequestHandler) handlerClass.getDeclaredConstructor().newInstance();
        // The runtime sets up its serializers when it loads the handler, before any event.
        PojoSerializer<Object> in = (PojoSerializer<Object>) LambdaEvents.serializerFor(typeArgument(handlerClass, 0));
        PojoSerializer<Object> out = (PojoSerializer<Object>) LambdaEvents.serializerFor(typeArgument(handlerClass, 1));
        if (args.length > 2 && args[2].equals("primed")) {
            ((Resource) handler).beforeCheckpoint(null);
        }
        long start = System.nanoTime();
        Object output = handler.handleRequest(in.fromJson(Files.readString(Path.of(args[1]))), new FakeLambdaContext("cold-start-probe", 900_000));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        out.toJson(output, json);
        System.out.println(FIRST_EVENT + (System.nanoTime() - start) / 1_000_000.0);
        System.out.println(HANDLED + json.toString(StandardCharsets.UTF_8));
        System.out.flush();
        // Frameworks may leave non-daemon threads; a sample ends with its first event.
        Runtime.getRuntime().halt(0);
    }

    /** The handler's input (0) or output (1) type, as the runtime reads it off the RequestHandler type arguments. */
    static Class<?> typeArgument(Class<?> handlerClass, int index) {
        for (Class<?> c = handlerClass; c != null; c = c.getSuperclass()) {
            for (Type type : c.getGenericInterfaces()) {
                Class<?> found = argument(type, index);
                if (found != null) {
                    return found;
                }
            }
            Class<?> found = argument(c.getGenericSuperclass(), index);
            if (found != null) {
                return found;
            }
        }
        throw new IllegalArgumentException(handlerClass + " declares no concrete RequestHandler types");
    }

    private static Class<?> argument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized
                && RequestHandler.class.isAssignableFrom((Class<?>) parameterized.getRawType())) {
            Type argument = parameterized.getActualTypeArguments()[index];
            if (argument instanceof Class<?> concrete) {
                return concrete;
            }
            if (argument instanceof ParameterizedType generic) {
                return (Class<?>) generic.getRawType();
            }
        }
        return null;
    }
}
