package dev.herald.local;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP client for the API under test, speaking JSON; every exchange is held to the OpenAPI
 * document ({@link OpenApiContract}), so that any test of the API also tests the document.
 */
final class Api {

    record Response(int status, String contentType, Map<String, List<String>> headers, String body) {

        Map<String, Object> json() {
            try {
                return MAPPER.readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of()).stream().findFirst().orElse(null);
        }

        /** The fields named in a problem's errors list. */
        @SuppressWarnings("unchecked")
        List<String> errorFields() {
            List<Map<String, Object>> errors = (List<Map<String, Object>>) json().get("errors");
            return errors == null ? List.of() : errors.stream().map(e -> (String) e.get("field")).toList();
        }
    }

    private static final ObjectMapper MAPPER = ObjectMapper.getDefault();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    Api(String base) {
        this.base = base;
    }

    String base() {
        return base;
    }

    static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response send(String method, String path, String token, String body, String... headers) {
        return sendBytes(method, path, token, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    /** A request whose body is exactly these bytes (sent as application/json when there is one). */
    Response sendBytes(String method, String path, String token, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        String contentType = body == null ? null : "application/json";
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
            contentType = headers[i].equalsIgnoreCase("Content-Type") ? headers[i + 1] : contentType;
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            Response answer = new Response(response.statusCode(), response.headers().firstValue("content-type").orElse(""),
                    response.headers().map(), response.body());
            List<String> violations = OpenApiContract.DOCUMENT.violations(new OpenApiContract.Exchange(method, path,
                    contentType, body, answer.status(), answer.contentType(), answer.body()));
            if (!violations.isEmpty()) {
                throw new AssertionError("The exchange does not keep the OpenAPI document:\n  "
                        + String.join("\n  ", violations) + "\nresponse: " + answer.body());
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    Response post(String path, String token, Object body, String... headers) {
        return send("POST", path, token, body instanceof String s ? s : json(body), headers);
    }

    Response put(String path, String token, Object body) {
        return send("PUT", path, token, body instanceof String s ? s : json(body));
    }

    Response patch(String path, String token, Object body) {
        return send("PATCH", path, token, body instanceof String s ? s : json(body));
    }
}
