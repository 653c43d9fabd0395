package dev.herald.web;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads request bodies in three steps, so that a bad body is answered precisely: JSON syntax
 * (with the position), then the shape against the endpoint's JSON Schema (every field at fault,
 * unknown fields included), and only then binding to the request type.
 */
@Singleton
public class RequestBodies {

    private final JsonMapper json;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    public RequestBodies(JsonMapper json) {
        this.json = json;
    }

    /** The body as {@code type}, after it passed the schema {@code schemas/<schemaName>.json}. */
    public <T> T read(String body, String schemaName, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        JsonNode tree;
        try {
            tree = json.readValue(body, JsonNode.class);
        } catch (IOException e) {
            throw ValidationException.of("body", "is not valid JSON: " + firstLine(e.getMessage()));
        }
        List<FieldError> errors = new ArrayList<>();
        for (Error error : schema(schemaName).validate(body, InputFormat.JSON)) {
            errors.add(toFieldError(error));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        try {
            return json.readValueFromTree(tree, type);
        } catch (IOException e) {
            throw ValidationException.of("body", "cannot be read: " + firstLine(e.getMessage()));
        }
    }

    private Schema schema(String name) {
        return schemas.computeIfAbsent(name, n -> {
            try (InputStream in = RequestBodies.class.getResourceAsStream("schemas/" + n + ".json")) {
                return registry.getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** "/recipients/2/email" becomes "recipients[2].email"; a missing or unknown property is named itself. */
    private static FieldError toFieldError(Error error) {
        String path = fieldPath(error.getInstanceLocation().toString());
        String keyword = error.getKeyword();
        if (("required".equals(keyword) || "additionalProperties".equals(keyword)) && error.getProperty() != null) {
            path = path.isEmpty() ? error.getProperty() : path + "." + error.getProperty();
        }
        String message = error.getMessage();
        if ("additionalProperties".equals(keyword)) {
            message = "is not a known field";
        } else if ("required".equals(keyword)) {
            message = "is required";
        }
        return new FieldError(path.isEmpty() ? "body" : path, message);
    }

    private static String fieldPath(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(name);
            }
        }
        return path.toString();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
