package dev.herald.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.core.error.ValidationException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * A request body that is exactly one JSON value (RFC 8259): UTF-8 without a single invalid byte,
 * nothing after the value, no field twice, no unpaired surrogate. A leading byte-order mark is
 * ignored, as RFC 8259 lets a parser do. Anything else is a 400 naming the body, with where it went
 * wrong, never the framework's or the parser's words.
 */
public final class JsonBody {

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final String text;
    private final JsonNode tree;

    private JsonBody(String text, JsonNode tree) {
        this.text = text;
        this.tree = tree;
    }

    /** The body read strictly, or a {@link ValidationException} on {@code body}. */
    public static JsonBody parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        String text = decodeUtf8(bytes);
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw ValidationException.of("body", "is not valid JSON: " + reason(e));
        }
        requirePairedSurrogates(tree);
        return new JsonBody(text, tree);
    }

    private static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ValidationException.of("body", "is not valid UTF-8: send JSON encoded as UTF-8");
        }
    }

    /** What is wrong, in the API's words, with where: never the parser's own message, which quotes the input. */
    private static String reason(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate field")) {
            return "a field appears twice in one object" + where;
        }
        if (e instanceof MismatchedInputException && original.contains("Trailing token")) {
            return "there is more after the JSON value" + where;
        }
        if (original.contains("end-of-input") || original.contains("No content to map")) {
            return "it ends before the JSON value does" + where;
        }
        if (e instanceof JsonParseException) {
            return "unexpected character" + where;
        }
        return "cannot be read" + where;
    }

    private static void requirePairedSurrogates(JsonNode node) {
        if (node.isTextual()) {
            requirePaired(node.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            requirePaired(field.getKey());
            requirePairedSurrogates(field.getValue());
        }
        if (node.isArray()) {
            node.forEach(JsonBody::requirePairedSurrogates);
        }
    }

    private static void requirePaired(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ValidationException.of("body", "is not valid JSON: a string holds an unpaired surrogate (\\u"
                        + HexFormat.of().toHexDigits(c).toUpperCase() + "), which is no character");
            }
        }
    }

    /** The body as text, the byte-order mark (if any) removed. */
    public String text() {
        return text;
    }

    /** The body as a Jackson tree, for schema validation. */
    public JsonNode tree() {
        return tree;
    }

    /**
     * SHA-256 of the body's canonical form (object keys sorted, no white space): the same request
     * reformatted or reordered has the same fingerprint under an Idempotency-Key.
     */
    public String fingerprint() {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(tree, Object.class));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed JSON tree is always writable", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
