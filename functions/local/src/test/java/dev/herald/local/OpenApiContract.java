package dev.herald.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The OpenAPI document that the build wrote from the controllers, as a contract that every HTTP
 * exchange of the tests must keep: each response of an API operation is documented with its status,
 * media type and body schema; each request that the API accepted (2xx) fits its operation's
 * parameters and body schema. The bodies are checked against the document's own schemas (JSON Schema
 * 2020-12 in OpenAPI 3.1's dialect), so that the document cannot drift from the code.
 */
final class OpenApiContract {

    /** One operation of the document: its path template and its place in the document. */
    record Operation(String method, String template, String pointer, JsonNode node) {
    }

    /** One exchange as the test client saw it. */
    record Exchange(String method, String pathAndQuery, String requestType, byte[] requestBody,
                    int status, String responseType, String responseBody) {
    }

    static final OpenApiContract DOCUMENT = load();
    private static final String DOCUMENT_IRI = "https://herald.test/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry schemas;

    private OpenApiContract(JsonNode document) {
        this.document = document;
        String text = document.toString();
        // The schemas are read where they stand in the document, whose own fields (paths, info) are no keywords.
        Dialect openApi = Dialect.builder(Dialects.getOpenApi31())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword)).build();
        this.schemas = SchemaRegistry.withDefaultDialect(openApi, builder -> builder.schemas(Map.of(DOCUMENT_IRI, text)));
    }

    private static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream(ApiDocumentController.DOCUMENT)) {
            return new OpenApiContract(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** Every documented operation, as "METHOD /template". */
    List<String> operations() {
        List<String> all = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> all.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return all;
    }

    /** What this exchange does that the document does not say; empty when it keeps the contract. */
    List<String> violations(Exchange exchange) {
        URI uri = URI.create(exchange.pathAndQuery());
        String path = uri.getRawPath();
        if (!path.startsWith("/v1/")) {
            return List.of();
        }
        Optional<Operation> found = operation(exchange.method(), path);
        if (found.isEmpty()) {
            // No such route, or not with this method: the router's own 404 or 405 is right.
            boolean routed = exchange.status() == 404 || exchange.status() == 405;
            return routed ? List.of() : List.of(exchange.method() + " " + path + " answered " + exchange.status()
                    + " but the document has no such operation");
        }
        Operation operation = found.get();
        String name = operation.method() + " " + operation.template();
        List<String> violations = new ArrayList<>(responseViolations(operation, name, exchange));
        if (exchange.status() / 100 == 2) {
            violations.addAll(requestViolations(operation, name, path, uri.getRawQuery(), exchange));
        }
        return violations;
    }

    private List<String> responseViolations(Operation operation, String name, Exchange exchange) {
        String status = String.valueOf(exchange.status());
        JsonNode response = operation.node().path("responses").path(status);
        if (response.isMissingNode()) {
            return List.of(name + " answered " + status + ", which the document does not list");
        }
        String pointer = operation.pointer() + "/responses/" + status;
        boolean hasBody = exchange.responseBody() != null && !exchange.responseBody().isEmpty();
        if (!response.has("content")) {
            return hasBody ? List.of(name + " " + status + " has a body, which the document does not describe") : List.of();
        }
        String type = mediaType(exchange.responseType());
        if (!response.path("content").has(type)) {
            return List.of(name + " " + status + " answered " + type + ", the document says "
                    + fieldNames(response.path("content")));
        }
        if (!type.endsWith("json")) {
            return List.of();
        }
        return schemaViolations(name + " " + status + " response", pointer + "/content/" + escape(type) + "/schema",
                parse(exchange.responseBody().getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> requestViolations(Operation operation, String name, String path, String query, Exchange exchange) {
        List<String> violations = new ArrayList<>();
        Map<String, String> queryValues = queryValues(query);
        Map<String, String> pathValues = pathValues(operation.template(), path);
        JsonNode parameters = operation.node().path("parameters");
        for (int i = 0; i < parameters.size(); i++) {
            JsonNode parameter = parameters.get(i);
            String in = parameter.path("in").asText();
            String parameterName = parameter.path("name").asText();
            String value = switch (in) {
                case "query" -> queryValues.remove(parameterName);
                case "path" -> pathValues.get(parameterName);
                default -> null;
            };
            if (value != null) {
                violations.addAll(schemaViolations(name + " " + in + " parameter " + parameterName,
                        operation.pointer() + "/parameters/" + i + "/schema", parameterValue(parameter, value)));
            }
        }
        queryValues.keySet().forEach(unknown -> violations.add(name + " accepted the query parameter " + unknown
                + ", which the document does not list"));
        JsonNode requestBody = operation.node().path("requestBody");
        boolean hasBody = exchange.requestBody() != null && exchange.requestBody().length > 0;
        if (!hasBody) {
            if (requestBody.path("required").asBoolean(false)) {
                violations.add(name + " accepted a request without the body the document requires");
            }
            return violations;
        }
        if (requestBody.isMissingNode()) {
            violations.add(name + " accepted a body, which the document does not describe");
            return violations;
        }
        String type = mediaType(exchange.requestType());
        if (!requestBody.path("content").has(type)) {
            violations.add(name + " accepted " + type + ", the document says " + fieldNames(requestBody.path("content")));
        } else if (type.endsWith("json")) {
            violations.addAll(schemaViolations(name + " request body",
                    operation.pointer() + "/requestBody/content/" + escape(type) + "/schema", parse(exchange.requestBody())));
        }
        return violations;
    }

    /** The operation for this method and concrete path: a literal segment wins over a template's variable. */
    Optional<Operation> operation(String method, String path) {
        String lower = method.toLowerCase(Locale.ROOT);
        List<Operation> candidates = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(entry -> {
            if (entry.getValue().has(lower) && pathValues(entry.getKey(), path) != null) {
                candidates.add(new Operation(method.toUpperCase(Locale.ROOT), entry.getKey(),
                        "/paths/" + escape(entry.getKey()) + "/" + lower, entry.getValue().get(lower)));
            }
        });
        return candidates.stream().max(Comparator.comparingLong(o -> literalSegments(o.template())));
    }

    private List<String> schemaViolations(String what, String pointer, JsonNode instance) {
        Schema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer));
        List<String> violations = new ArrayList<>();
        for (Error error : schema.validate(instance)) {
            violations.add(what + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
        return violations;
    }

    /** The variables of {@code template} in {@code path}, or null when the path is not of that template. */
    private static Map<String, String> pathValues(String template, String path) {
        String[] expected = template.split("/");
        String[] actual = path.split("/", -1);
        if (expected.length != actual.length) {
            return null;
        }
        Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < expected.length; i++) {
            if (expected[i].startsWith("{") && expected[i].endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                values.put(expected[i].substring(1, expected[i].length() - 1), decode(actual[i]));
            } else if (!expected[i].equals(actual[i])) {
                return null;
            }
        }
        return values;
    }

    private static long literalSegments(String template) {
        return Stream.of(template.split("/")).filter(s -> !s.startsWith("{")).count();
    }

    private static Map<String, String> queryValues(String query) {
        Map<String, String> values = new java.util.HashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                values.put(decode(equals < 0 ? pair : pair.substring(0, equals)), equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return values;
    }

    /** A parameter arrives as text; where the document says it is a whole number, it is read as one. */
    private static JsonNode parameterValue(JsonNode parameter, String value) {
        boolean whole = parameter.path("schema").path("type").toString().contains("integer");
        return whole && value.matches("-?\\d{1,9}") ? IntNode.valueOf(Integer.parseInt(value)) : TextNode.valueOf(value);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return TextNode.valueOf(new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
