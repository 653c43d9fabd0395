package dev.herald.testkit;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.List;

/** Creates a table with the key layout of Herald's DynamoDB store: PK/SK and the given GSIs (each its own PK/SK), all strings. */
public final class HeraldTable {

    private HeraldTable() {
    }

    public static void create(DynamoDbClient dynamo, String table, List<String> indexNames) {
        List<AttributeDefinition> attributes = new ArrayList<>(List.of(
                attribute("PK"), attribute("SK")));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        for (String index : indexNames) {
            attributes.add(attribute(index + "PK"));
            attributes.add(attribute(index + "SK"));
            indexes.add(GlobalSecondaryIndex.builder().indexName(index)
                    .keySchema(key(index + "PK", KeyType.HASH), key(index + "SK", KeyType.RANGE))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build());
        }
        dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(key("PK", KeyType.HASH), key("SK", KeyType.RANGE))
                .globalSecondaryIndexes(indexes));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
