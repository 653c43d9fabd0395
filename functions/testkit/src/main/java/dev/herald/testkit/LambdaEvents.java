package dev.herald.testkit;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample events under {@code infra/events} (the ones {@code sam local invoke} takes), read and
 * deserialized by the Lambda Java runtime's own serializer, as it hands them to a handler.
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
        PojoSerializer<T> serializer = LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
                ? LambdaEventSerializers.serializerFor(type, type.getClassLoader())
                : JacksonFactory.getInstance().getSerializer(type);
        return serializer.fromJson(json);
    }
}
