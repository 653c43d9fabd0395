package dev.herald.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The official schemas a template is checked against: the SAM schema's definitions for the
 * {@code AWS::Serverless::*} types and the Globals, a CloudFormation resource schema per other type.
 * The SAM schema says itself where an intrinsic function ({@code Ref}, {@code Fn::*}) may stand (a
 * property SAM passes through, or one typed "object or string"), and where SAM needs a literal, so
 * SAM resources are validated as written. The CloudFormation schemas do not: there an intrinsic
 * counts as valid wherever it stands, replaced by a placeholder and any problem under it dropped.
 */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;
    private final Path additions;
    private final JsonNode sam;
    private final SchemaRegistry draft4 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
    private final SchemaRegistry draft7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    /** The schemas in {@code directory}; a CloudFormation type missing there is read from {@code additions}. */
    Schemas(Path directory, Path additions) {
        this.directory = directory;
        this.additions = additions;
        this.sam = read(directory.resolve("sam.schema.json"));
    }

    /** The SAM definition of a serverless resource type, e.g. {@code AWS::Serverless::HttpApi}. */
    static String samDefinition(String type) {
        return "samtranslator__internal__schema_source__aws_serverless_"
                + type.substring("AWS::Serverless::".length()).toLowerCase(Locale.ROOT) + "__Resource";
    }

    /** The CloudFormation schema file of a type, e.g. {@code AWS::SQS::Queue}: {@code cfn/aws-sqs-queue.json}. */
    Path cloudFormationSchema(String type) {
        String file = type.toLowerCase(Locale.ROOT).replace("::", "-") + ".json";
        Path shared = directory.resolve("cfn").resolve(file);
        return Files.isRegularFile(shared) ? shared : additions.resolve(file);
    }

    /** What is wrong with {@code instance} by the SAM schema's {@code definition}. */
    List<String> samProblems(String definition, Object instance) {
        if (!sam.get("definitions").has(definition)) {
            throw new IllegalArgumentException("The SAM schema has no definition " + definition);
        }
        ObjectNode schema = JSON.createObjectNode();
        schema.set("definitions", sam.get("definitions"));
        schema.putArray("allOf").addObject().put("$ref", "#/definitions/" + definition);
        List<String> problems = new ArrayList<>();
        for (Error error : draft4.getSchema(schema).validate(JSON.valueToTree(instance))) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    /** What is wrong with a resource's {@code Properties} by its type's CloudFormation schema. */
    List<String> cloudFormationProblems(String type, Object properties) {
        Path file = cloudFormationSchema(type);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No CloudFormation schema for " + type + " (" + file + ")");
        }
        ObjectNode schema = (ObjectNode) read(file);
        schema.remove("$schema"); // the registry's meta-schema: the keywords that matter are draft-07's
        return problems(draft7.getSchema(schema), properties == null ? Map.of() : properties);
    }

    private static List<String> problems(Schema schema, Object instance) {
        List<List<Object>> intrinsics = new ArrayList<>();
        JsonNode masked = mask(JSON.valueToTree(instance), new ArrayList<>(), intrinsics);
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(masked)) {
            List<Object> location = elements(error.getInstanceLocation());
            if (intrinsics.stream().noneMatch(intrinsic -> startsWith(location, intrinsic))) {
                problems.add(error.getInstanceLocation() + ": " + error.getMessage());
            }
        }
        return problems;
    }

    /** A copy in which every intrinsic function is a placeholder string; their paths go to {@code intrinsics}. */
    private static JsonNode mask(JsonNode node, List<Object> path, List<List<Object>> intrinsics) {
        if (isIntrinsic(node)) {
            intrinsics.add(List.copyOf(path));
            return TextNode.valueOf("{intrinsic}");
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JSON.createObjectNode();
            object.fields().forEachRemaining(field -> {
                path.add(field.getKey());
                copy.set(field.getKey(), mask(field.getValue(), path, intrinsics));
                path.remove(path.size() - 1);
            });
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JSON.createArrayNode();
            for (int i = 0; i < array.size(); i++) {
                path.add(i);
                copy.add(mask(array.get(i), path, intrinsics));
                path.remove(path.size() - 1);
            }
            return copy;
        }
        return node;
    }

    static boolean isIntrinsic(JsonNode node) {
        if (!(node instanceof ObjectNode object) || object.size() != 1) {
            return false;
        }
        String key = object.fieldNames().next();
        return key.equals("Ref") || key.startsWith("Fn::") || key.equals("Condition");
    }

    private static List<Object> elements(NodePath path) {
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return elements;
    }

    private static boolean startsWith(List<Object> location, List<Object> prefix) {
        if (location.size() < prefix.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (!String.valueOf(location.get(i)).equals(String.valueOf(prefix.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
