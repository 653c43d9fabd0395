package dev.herald.testkit;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The sample events under {@code infra/events} (the ones {@code sam local invoke} takes), and the
 * serializer the Lambda Java runtime hands them to a handler with. The runtime picks it as this class
 * does: the {@link CustomPojoSerializer} a function registers in {@code META-INF/services} (Herald's
 * functions register Micronaut's), else its own bundled one.
 */
public final class LambdaEvents {

    private LambdaEvents() {
    }

    /** The text of {@code infra/events/<name>}, found from any module's directory. */
    public static String fixture(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path events = dir.resolve("infra").resolve("events");
            if (Files.isDirectory(events)) {
                try {
                    return Files.readString(events.resolve(name));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("No infra/events above " + Path.of("").toAbsolutePath());
    }

    /** {@code json} as the runtime hands it to a handler taking {@code type}. */
    public static <T> T deserialize(String json, Class<T> type) {
        return serializerFor(type).fromJson(json);
    }

    /** The serializer the runtime uses for a handler's input or output of {@code type}. */
    @SuppressWarnings("unchecked")
    public static <T> PojoSerializer<T> serializerFor(Class<T> type) {
        Iterator<CustomPojoSerializer> registered = ServiceLoader.load(CustomPojoSerializer.class, type.getClassLoader()).iterator();
        if (registered.hasNext()) {
            return new Custom<>(registered.next(), type);
        }
        return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, type.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
    }

    private record Custom<T>(CustomPojoSerializer serializer, Class<T> type) implements PojoSerializer<T> {
        public T fromJson(InputStream input) {
            return serializer.fromJson(input, type);
        }

        public T fromJson(String input) {
            return serializer.fromJson(input, type);
        }

        public void toJson(T value, OutputStream output) {
            serializer.toJson(value, output, type);
        }
    }
}
