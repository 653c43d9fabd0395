package dev.herald.core.storage;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.herald.core.error.StoreException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Entities as JSON documents, the storage format of every store adapter: record components only,
 * instants as ISO-8601 text.
 */
public final class Documents {

    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * The document compressed (gzip, at its fastest level): recipient lists shrink to about a third,
     * for a store that bills by the kilobyte.
     */
    public byte[] writeCompressed(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            mapper.writeValue(gzip, value);
        } catch (IOException e) {
            throw new StoreException("Cannot serialize " + value.getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    public <T> T readCompressed(byte[] compressed, Class<T> type) {
        try (InputStream json = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new StoreException("Stored " + type.getSimpleName() + " is unreadable", e);
        }
    }

    public <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("Stored " + type.getSimpleName() + " is unreadable", e);
        }
    }
}
