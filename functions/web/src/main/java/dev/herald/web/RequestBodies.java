package dev.herald.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.herald.core.error.FieldError;
import dev.herald.core.error.ValidationException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads request bodies in three steps, so that a bad body is answered precisely: strict JSON
 * ({@link JsonBody}), then the shape against the endpoint's request schema (every field at fault,
 * unknown fields included; JSON Schema 2020-12, the same that the OpenAPI document shows), and only
 * then binding to the request type.
 */
@Singleton
public class RequestBodies {

    /** Also merged into the OpenAPI document as its request components (see openapi.properties). */
    static final String REQUEST_SCHEMAS_RESOURCE = "openapi/request-schemas.json";
    private static final JsonNode REQUEST_SCHEMAS = readRequestSchemas();

    private final JsonMapper json;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    public RequestBodies(JsonMapper json) {
        this.json = json;
    }

    /** The raw body as {@code type}, after it passed strict JSON and the request schema {@code schemaName}. */
    public <T> T read(byte[] body, String schemaName, Class<T> type) {
        return read(JsonBody.parse(body), schemaName, type);
    }

    /** The body as {@code type}, after it passed the request schema {@code schemaName}. */
    public <T> T read(JsonBody body, String schemaName, Class<T> type) {
        List<FieldError> errors = new ArrayList<>();
        for (Error error : schema(schemaName).validate(body.tree())) {
            errors.add(toFieldError(error));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        try {
            return json.readValue(body.text(), type);
        } catch (IOException e) {
            // The schema admits only what binds; reaching this is a schema that is too loose.
            throw ValidationException.of("body", "cannot be read as this request");
        }
    }

    private Schema schema(String name) {
        return schemas.computeIfAbsent(name, n -> {
            JsonNode schema = REQUEST_SCHEMAS.path("components").path("schemas").path(n);
            if (schema.isMissingNode()) {
                throw new IllegalArgumentException("No request schema " + n + " in " + REQUEST_SCHEMAS_RESOURCE);
            }
            return registry.getSchema(schema);
        });
    }

    private static JsonNode readRequestSchemas() {
        try (InputStream in = RequestBodies.class.getResourceAsStream(REQUEST_SCHEMAS_RESOURCE)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** "/recipients/2/email" becomes "recipients[2].email"; a missing or unknown property is named itself. */
    private static FieldError toFieldError(Error error) {
        String path = fieldPath(error.getInstanceLocation().toString());
        String keyword = error.getKeyword();
        if (("required".equals(keyword) || "additionalProperties".equals(keyword)) && error.getProperty() != null) {
            path = path.isEmpty() ? error.getProperty() : path + "." + error.getProperty();
        }
        return new FieldError(path.isEmpty() ? "body" : path, message(error));
    }

    /** The schema's finding in the API's words: the validator's own name the schema and its JSON paths. */
    private static String message(Error error) {
        return switch (error.getKeyword()) {
            case "additionalProperties" -> "is not a known field";
            case "required" -> "is required";
            case "not" -> error.getSchemaNode().has("description") ? error.getSchemaNode().get("description").asText() : "is read-only here";
            case "false" -> "is read-only here";
            case "type" -> "must be " + expectedType(error.getSchemaNode());
            case "enum" -> "must be one of " + String.join(", ", enumValues(error.getSchemaNode()));
            case "minLength" -> "must have at least " + error.getSchemaNode() + " characters";
            case "maxLength" -> "must have at most " + error.getSchemaNode() + " characters";
            case "minimum" -> "must be at least " + error.getSchemaNode();
            case "maximum" -> "must be at most " + error.getSchemaNode();
            case "minItems" -> "must have at least " + error.getSchemaNode() + " items";
            case "maxItems" -> "must have at most " + error.getSchemaNode() + " items";
            case "pattern" -> "has characters that are not allowed";
            default -> "is not valid here";
        };
    }

    private static String expectedType(JsonNode type) {
        List<String> names = new ArrayList<>();
        (type.isArray() ? type : List.of(type)).forEach(t -> names.add(switch (t.asText()) {
            case "object" -> "an object";
            case "array" -> "a list";
            case "string" -> "a string";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "null" -> "null";
            default -> t.asText();
        }));
        return String.join(" or ", names);
    }

    private static List<String> enumValues(JsonNode values) {
        List<String> names = new ArrayList<>();
        values.forEach(v -> names.add(v.isNull() ? "null" : "'" + v.asText() + "'"));
        return names;
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
}
