package dev.herald.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.testkit.AwsCallRecorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * DynamoDB's bill, metered on loopback: a proxy in front of dynalite that forwards every call and adds up
 * the capacity units DynamoDB would charge for it. Item operations ask dynalite for their consumed capacity
 * (it applies DynamoDB's rules: a write unit per KB of the larger of the old and new item, a read unit per
 * 4 KB, half for an eventually consistent read); a query is charged here from the size of the items it
 * returns, as DynamoDB charges it, a read unit per 4 KB of them together. dynalite does not charge the
 * writes of global secondary indexes: an item written with an index's key costs here one more write unit
 * per KB and index. What it leaves out: an index entry removed when its key changes or its item goes.
 */
final class DynamoDbMeter extends AwsCallRecorder {

    private static final Set<String> METERED_BY_DYNALITE = Set.of("GetItem", "PutItem", "UpdateItem", "DeleteItem",
            "BatchGetItem", "BatchWriteItem");
    private static final Set<String> READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan");
    private static final Set<String> INDEX_KEYS = Set.of("GSI1PK", "GSI2PK", "GSI3PK");

    /** What was metered since the last reset. */
    record Usage(long calls, double readUnits, double writeUnits, Map<String, Long> callsByOperation) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private long calls;
    private double readUnits;
    private double writeUnits;
    private Map<String, Long> callsByOperation = new TreeMap<>();

    private DynamoDbMeter(String dynamoDbEndpoint) throws IOException {
        super(dynamoDbEndpoint, "dynamodb");
    }

    static DynamoDbMeter start(String dynamoDbEndpoint) throws IOException {
        return new DynamoDbMeter(dynamoDbEndpoint);
    }

    /** The usage so far, and a fresh count from now. */
    synchronized Usage takeUsage() {
        Usage usage = new Usage(calls, readUnits, writeUnits, Map.copyOf(callsByOperation));
        calls = 0;
        readUnits = 0;
        writeUnits = 0;
        callsByOperation = new TreeMap<>();
        return usage;
    }

    @Override
    protected byte[] rewrite(String operation, byte[] body) {
        if (!METERED_BY_DYNALITE.contains(operation)) {
            return body;
        }
        try {
            ObjectNode request = (ObjectNode) json.readTree(body);
            request.put("ReturnConsumedCapacity", "TOTAL");
            return json.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void answered(String operation, byte[] request, int status, byte[] response) {
        if (status != 200) {
            return;
        }
        try {
            meter(operation, json.readTree(request), json.readTree(response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void meter(String operation, JsonNode request, JsonNode response) {
        calls++;
        callsByOperation.merge(operation, 1L, Long::sum);
        double units = 0;
        if (operation.equals("Query")) {
            long bytes = 0;
            for (JsonNode item : response.path("Items")) {
                bytes += itemSize(item);
            }
            units = Math.max(1, Math.ceil(bytes / 4096.0)) * (request.path("ConsistentRead").asBoolean() ? 1 : 0.5);
        } else {
            JsonNode consumed = response.path("ConsumedCapacity");
            for (JsonNode entry : consumed.isArray() ? consumed : List.of(consumed)) {
                units += entry.path("CapacityUnits").asDouble();
            }
        }
        if (READS.contains(operation)) {
            readUnits += units;
        } else {
            writeUnits += units + indexWrites(operation, request);
        }
    }

    /** The write units of the index entries the written items make. */
    private static double indexWrites(String operation, JsonNode request) {
        double units = 0;
        if (operation.equals("PutItem")) {
            units += indexWrites(request.path("Item"));
        } else if (operation.equals("BatchWriteItem")) {
            for (JsonNode writes : request.path("RequestItems")) {
                for (JsonNode write : writes) {
                    units += indexWrites(write.path("PutRequest").path("Item"));
                }
            }
        }
        return units;
    }

    private static double indexWrites(JsonNode item) {
        if (item.isMissingNode()) {
            return 0;
        }
        long indexes = INDEX_KEYS.stream().filter(item::has).count();
        return indexes * Math.ceil(itemSize(item) / 1024.0);
    }

    /** An item's size as DynamoDB counts it: attribute names and values, numbers and binaries by their bytes. */
    private static long itemSize(JsonNode item) {
        long size = 0;
        for (Iterator<Map.Entry<String, JsonNode>> attributes = item.fields(); attributes.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = attributes.next();
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + valueSize(attribute.getValue());
        }
        return size;
    }

    private static long valueSize(JsonNode value) {
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode content = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> content.asText().getBytes(StandardCharsets.UTF_8).length;
            case "N" -> content.asText().length() / 2 + 1;
            case "B" -> Base64.getDecoder().decode(content.asText()).length;
            case "BOOL", "NULL" -> 1;
            case "M" -> 3 + itemSize(content);
            case "L" -> {
                long size = 3;
                for (JsonNode element : content) {
                    size += 1 + valueSize(element);
                }
                yield size;
            }
            default -> content.toString().length();
        };
    }
}
