package dev.herald.template;

import dev.herald.aws.DynamoDbStore;
import io.micronaut.context.annotation.ConfigurationProperties;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code template.yaml}, proven without an AWS account: every resource against the official
 * schemas, every reference resolvable, every handler in its built jar, every function's
 * environment exactly what its code reads, the table as the store uses it, and least privilege.
 */
class TemplateTest {

    private static final Path ROOT = repositoryRoot();
    private static final String TEMPLATE_TEXT = read(ROOT.resolve("template.yaml"));
    private static final Map<String, Object> TEMPLATE = CloudFormationYaml.read(TEMPLATE_TEXT);
    /** The shared folder the schemas come from, where the checkout sits beside it; else the copies in infra/schemas. */
    private static final Path SHARED_SCHEMAS = ROOT.getParent().resolve("shared").resolve("schemas");
    private static final Path SCHEMA_COPIES = ROOT.resolve("infra").resolve("schemas");
    private static final Schemas SCHEMAS = new Schemas(Files.isDirectory(SHARED_SCHEMAS) ? SHARED_SCHEMAS : SCHEMA_COPIES);
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    /** Settings the functions read only to reach emulators or LocalStack: on AWS the SDK's defaults apply. */
    private static final Set<String> EMULATOR_OVERRIDES = Set.of("HERALD_AWS_REGION", "HERALD_AWS_ENDPOINT",
            "HERALD_AWS_DYNAMODB_ENDPOINT", "HERALD_AWS_SES_ENDPOINT");

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : value == null ? List.of() : List.of(value);
    }

    private static Map<String, Object> resources() {
        return map(TEMPLATE.get("Resources"));
    }

    private static Map<String, Object> resourcesOfType(String type) {
        Map<String, Object> found = new LinkedHashMap<>();
        resources().forEach((name, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                found.put(name, resource);
            }
        });
        return found;
    }

    private static Map<String, Object> properties(String resource) {
        return map(map(resources().get(resource)).get("Properties"));
    }

    // ---------------------------------------------------------------- schemas

    @Test
    void everyServerlessResource_andTheGlobals_matchTheSamSchema() {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        resources().forEach((name, resource) -> {
            String type = (String) map(resource).get("Type");
            if (type.startsWith("AWS::Serverless::")) {
                problems.put(name, SCHEMAS.samProblems(Schemas.samDefinition(type), resource));
            }
        });
        problems.put("Globals", SCHEMAS.samProblems("__main____Globals", TEMPLATE.get("Globals")));

        assertThat(problems).containsKeys("HttpApi", "ApiFunction", "SendFunction", "Globals")
                .allSatisfy((name, found) -> assertThat(found).as(name).isEmpty());
    }

    @Test
    void everyOtherResource_hasACloudFormationSchema_andItsPropertiesMatchIt() {
        Map<String, List<String>> problems = new LinkedHashMap<>();
        resources().forEach((name, resource) -> {
            String type = (String) map(resource).get("Type");
            if (!type.startsWith("AWS::Serverless::")) {
                assertThat(SCHEMAS.cloudFormationSchema(type)).as("the schema of %s (%s)", type, name).isRegularFile();
                problems.put(name, SCHEMAS.cloudFormationProblems(type, map(resource).get("Properties")));
            }
        });

        assertThat(problems).containsKeys("Table", "Key", "SchedulerRole", "DeadLetterQueue", "DeadLettersAlarm")
                .allSatisfy((name, found) -> assertThat(found).as(name).isEmpty());
    }

    @Test
    void theSchemaChecks_findRealMistakes_butAcceptIntrinsicFunctionsAnywhere() {
        assertThat(SCHEMAS.cloudFormationProblems("AWS::SQS::Queue", Map.of("MessageRetentionPeriod", 10, "Colour", "red")))
                .hasSize(2);
        assertThat(SCHEMAS.cloudFormationProblems("AWS::SQS::Queue", Map.of("MessageRetentionPeriod",
                Map.of("Ref", "Retention"), "QueueName", Map.of("Fn::Sub", "q-${Stage}")))).isEmpty();
        assertThat(SCHEMAS.samProblems(Schemas.samDefinition("AWS::Serverless::Function"), Map.of(
                "Type", "AWS::Serverless::Function", "Properties", Map.of("Handler", "x.Y", "Colour", "red"))))
                .singleElement().asString().contains("Colour");
        assertThatThrownBy(() -> SCHEMAS.cloudFormationProblems("AWS::EC2::Instance", Map.of()))
                .hasMessageContaining("No CloudFormation schema for AWS::EC2::Instance");
    }

    @Test
    void theSchemaCopiesInTheRepository_areTheSharedOnes() throws IOException {
        assumeTrue(Files.isDirectory(SHARED_SCHEMAS), "the shared schemas folder is not beside this checkout");
        try (Stream<Path> copies = Files.walk(SCHEMA_COPIES)) {
            for (Path copy : copies.filter(Files::isRegularFile).filter(p -> !p.endsWith("README.md")).toList()) {
                Path original = SHARED_SCHEMAS.resolve(SCHEMA_COPIES.relativize(copy).toString());
                assertThat(Files.mismatch(copy, original)).as("%s differs from %s", copy, original).isEqualTo(-1L);
            }
        }
    }

    // ---------------------------------------------------------------- references

    @Test
    void everyRefGetAttAndSub_namesAParameterAResourceOrAPseudoParameter() {
        Set<String> names = new HashSet<>(PSEUDO_PARAMETERS);
        names.addAll(map(TEMPLATE.get("Parameters")).keySet());
        names.addAll(resources().keySet());
        // SAM's AutoPublishAlias makes a function's alias and version referable as <Function>.Alias / .Version.
        resourcesOfType("AWS::Serverless::Function").keySet().forEach(f -> names.addAll(List.of(f + ".Alias", f + ".Version")));
        List<String> unresolved = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        visit(TEMPLATE, node -> {
            if (node.get("Ref") instanceof String target && node.size() == 1) {
                checked.add(target);
                if (!names.contains(target)) {
                    unresolved.add("Ref " + target);
                }
            }
            if (node.get("Fn::GetAtt") instanceof List<?> getAtt && node.size() == 1) {
                String target = String.valueOf(getAtt.get(0));
                checked.add(target);
                if (!resources().containsKey(target)) {
                    unresolved.add("GetAtt " + target);
                }
            }
            if (node.containsKey("Fn::Sub") && node.size() == 1) {
                List<Object> sub = list(node.get("Fn::Sub"));
                Set<String> local = sub.size() > 1 ? map(sub.get(1)).keySet() : Set.of();
                Matcher variable = Pattern.compile("\\$\\{([^!}][^}]*)}").matcher(String.valueOf(sub.get(0)));
                while (variable.find()) {
                    String target = variable.group(1);
                    String resource = target.contains(".") && !names.contains(target) ? target.substring(0, target.indexOf('.')) : target;
                    checked.add(target);
                    if (!names.contains(resource) && !local.contains(target)) {
                        unresolved.add("Sub ${" + target + "}");
                    }
                }
            }
        });
        Set<String> conditions = map(TEMPLATE.get("Conditions")).keySet();
        resources().forEach((name, resource) -> {
            Object condition = map(resource).get("Condition");
            if (condition != null && !conditions.contains(condition)) {
                unresolved.add(name + " Condition " + condition);
            }
        });
        visit(TEMPLATE, node -> {
            if (node.get("Fn::If") instanceof List<?> branches && !conditions.contains(String.valueOf(branches.get(0)))) {
                unresolved.add("If " + branches.get(0));
            }
        });

        assertThat(checked).hasSizeGreaterThan(20);
        assertThat(unresolved).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void visit(Object node, java.util.function.Consumer<Map<String, Object>> action) {
        if (node instanceof Map<?, ?> m) {
            action.accept((Map<String, Object>) m);
            m.values().forEach(value -> visit(value, action));
        } else if (node instanceof List<?> l) {
            l.forEach(value -> visit(value, action));
        }
    }

    // ---------------------------------------------------------------- code

    @Test
    void everyHandler_isAClassInTheJarItsFunctionDeploys() throws IOException {
        Map<String, Object> functions = resourcesOfType("AWS::Serverless::Function");
        assertThat(functions).hasSize(2);
        for (String name : functions.keySet()) {
            Map<String, Object> properties = properties(name);
            Path jar = ROOT.resolve((String) properties.get("CodeUri"));
            assertThat(jar).as("%s's CodeUri: build it with mvn package", name).isRegularFile();
            String handlerClass = ((String) properties.get("Handler")).split("::")[0];
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                assertThat(zip.getEntry(handlerClass.replace('.', '/') + ".class")).as("%s in %s", handlerClass, jar).isNotNull();
            }
        }
    }

    @Test
    void eachFunctionsEnvironment_isExactlyWhatItsCodeReads() throws ClassNotFoundException {
        Map<String, Object> global = map(map(map(map(TEMPLATE.get("Globals")).get("Function")).get("Environment")).get("Variables"));
        Map<String, Class<?>> settingsOf = Map.of(
                "ApiFunction", Class.forName("dev.herald.api.ApiConfiguration"),
                "SendFunction", Class.forName("dev.herald.send.SendConfiguration"));

        settingsOf.forEach((function, settings) -> {
            Set<String> set = new TreeSet<>(global.keySet());
            set.addAll(map(map(properties(function).get("Environment")).get("Variables")).keySet());
            assertThat(set).as("the environment of %s", function).isEqualTo(environmentRead(settings));
        });
        Set<String> emulatorSettings = environmentRead(Class.forName("dev.herald.aws.AwsConfiguration"));
        assertThat(emulatorSettings).isEqualTo(EMULATOR_OVERRIDES);
        assertThat(global.keySet()).doesNotContainAnyElementsOf(EMULATOR_OVERRIDES);
        // The functions' log level (AWS_LAMBDA_LOG_LEVEL) is Lambda's, from the logging configuration.
        assertThat(map(map(map(TEMPLATE.get("Globals")).get("Function")).get("LoggingConfig")))
                .containsEntry("LogFormat", "JSON").containsKey("ApplicationLogLevel");
    }

    /** The environment variables a settings interface binds: HERALD_ and its getters' names in capitals. */
    private static Set<String> environmentRead(Class<?> settings) {
        String prefix = settings.getAnnotation(ConfigurationProperties.class).value();
        Set<String> variables = new TreeSet<>();
        for (Method method : settings.getMethods()) {
            if (method.getName().startsWith("get") && method.getParameterCount() == 0 && !method.isDefault()) {
                String property = method.getName().substring(3).replaceAll("([a-z0-9])([A-Z])", "$1_$2");
                variables.add((prefix.replace('.', '_') + "_" + property).toUpperCase());
            }
        }
        return variables;
    }

    @Test
    void theSendFunctionArnBothFunctionsAreGiven_isTheSendFunctionsAlias() {
        Map<String, Object> function = map(map(TEMPLATE.get("Globals")).get("Function"));
        Map<String, Object> send = properties("SendFunction");
        String arn = String.valueOf(map(map(map(function.get("Environment")).get("Variables")).get("HERALD_SEND_FUNCTION_ARN")).get("Fn::Sub"));

        assertThat(arn).isEqualTo("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
                + map(send.get("FunctionName")).get("Fn::Sub") + ":" + function.get("AutoPublishAlias"));
    }

    @Test
    void theTable_hasTheKeysIndexesAndTimeToLiveTheStoreUses() {
        Map<String, Object> table = properties("Table");
        List<String> indexes = new ArrayList<>();
        for (Object index : list(table.get("GlobalSecondaryIndexes"))) {
            String name = (String) map(index).get("IndexName");
            indexes.add(name);
            assertThat(list(map(index).get("KeySchema"))).containsExactly(
                    Map.of("AttributeName", name + "PK", "KeyType", "HASH"), Map.of("AttributeName", name + "SK", "KeyType", "RANGE"));
        }

        assertThat(indexes).containsExactlyElementsOf(DynamoDbStore.INDEXES);
        assertThat(list(table.get("KeySchema"))).containsExactly(
                Map.of("AttributeName", "PK", "KeyType", "HASH"), Map.of("AttributeName", "SK", "KeyType", "RANGE"));
        assertThat(map(table.get("TimeToLiveSpecification")))
                .containsEntry("AttributeName", DynamoDbStore.TTL_ATTRIBUTE).containsEntry("Enabled", true);
        assertThat(table).containsEntry("BillingMode", "PAY_PER_REQUEST");
        assertThat(map(table.get("PointInTimeRecoverySpecification"))).containsEntry("PointInTimeRecoveryEnabled", true);
        assertThat(map(table.get("SSESpecification"))).containsEntry("SSEType", "KMS")
                .containsEntry("KMSMasterKeyId", Map.of("Ref", "Key"));
    }

    // ---------------------------------------------------------------- least privilege

    private static List<Map<String, Object>> statements() {
        List<Map<String, Object>> statements = new ArrayList<>();
        visit(TEMPLATE, node -> {
            if (node.get("Statement") != null) {
                list(node.get("Statement")).forEach(statement -> statements.add(map(statement)));
            }
        });
        return statements;
    }

    @Test
    void noIamStatement_grantsEveryAction_andEachWildcardResource_isExplainedWhereItStands() {
        List<Map<String, Object>> statements = statements();
        List<Object> actions = statements.stream().flatMap(s -> list(s.get("Action")).stream()).toList();
        long wildcardResources = statements.stream().filter(s -> list(s.get("Resource")).contains("*")).count();
        List<String> wildcardLines = TEMPLATE_TEXT.lines().filter(line -> line.matches("\\s*Resource: '\\*'.*")).toList();

        assertThat(statements).hasSizeGreaterThan(10);
        assertThat(actions).allSatisfy(action -> assertThat(String.valueOf(action))
                .isNotEqualTo("*").doesNotEndWith(":*"));
        assertThat(statements).noneMatch(s -> s.containsKey("NotAction") || s.containsKey("NotResource"));
        assertThat(wildcardLines).hasSize((int) wildcardResources)
                .allSatisfy(line -> assertThat(line).matches(".*'\\*' # \\S.*"));
    }

    @Test
    void theKeyPolicy_letsTheApiOnlyEncrypt_andTheSendFunctionOnlyDecrypt_underHeraldsContext() {
        List<Map<String, Object>> keyStatements = list(map(properties("Key").get("KeyPolicy")).get("Statement")).stream()
                .map(TemplateTest::map).toList();
        Map<String, Object> herald = Map.of(
                "ForAllValues:StringEquals", Map.of("kms:EncryptionContextKeys", List.of("herald:messageSystem", "herald:purpose")),
                "Null", Map.of("kms:EncryptionContextKeys", "false"),
                "StringEquals", Map.of("kms:EncryptionContext:herald:purpose", "job-account"));

        for (Map<String, Object> statement : keyStatements) {
            List<Object> principals = list(map(statement.get("Principal")).get("AWS"));
            Map<String, Object> condition = map(statement.get("Condition"));
            boolean throughDynamoDb = map(condition.get("StringEquals")).containsKey("kms:ViaService");
            if (principals.contains(Map.of("Fn::GetAtt", List.of("ApiRole", "Arn"))) && !throughDynamoDb) {
                assertThat(statement.get("Action")).isEqualTo("kms:Encrypt");
                assertThat(condition).isEqualTo(herald);
            }
            if (principals.contains(Map.of("Fn::GetAtt", List.of("SendRole", "Arn"))) && !throughDynamoDb) {
                assertThat(statement.get("Action")).isEqualTo("kms:Decrypt");
                assertThat(condition).isEqualTo(herald);
            }
            if (throughDynamoDb) {
                assertThat(map(condition.get("StringEquals")))
                        .containsEntry("kms:ViaService", Map.of("Fn::Sub", "dynamodb.${AWS::Region}.amazonaws.com"))
                        .containsKey("kms:EncryptionContext:aws:dynamodb:tableName");
            }
        }
        assertThat(keyStatements).extracting(s -> s.get("Action")).contains("kms:Encrypt", "kms:Decrypt");
    }

    @Test
    void theSchedulerRole_isTrustedOnlyByEventBridgeSchedulerOfThisAccount_andMayOnlyFireTheSendFunction() {
        Map<String, Object> role = properties("SchedulerRole");
        Map<String, Object> trust = map(list(map(role.get("AssumeRolePolicyDocument")).get("Statement")).get(0));
        List<Map<String, Object>> grants = list(map(map(list(role.get("Policies")).get(0)).get("PolicyDocument")).get("Statement"))
                .stream().map(TemplateTest::map).toList();

        assertThat(map(trust.get("Principal"))).isEqualTo(Map.of("Service", "scheduler.amazonaws.com"));
        assertThat(map(map(trust.get("Condition")).get("StringEquals")))
                .isEqualTo(Map.of("aws:SourceAccount", Map.of("Ref", "AWS::AccountId")));
        assertThat(grants).filteredOn(g -> "lambda:InvokeFunction".equals(g.get("Action"))).singleElement()
                .satisfies(g -> assertThat(g.get("Resource")).isEqualTo(Map.of("Ref", "SendFunction.Alias")));
        // Besides firing, it only delivers undeliverable firings to the dead-letter queue.
        assertThat(grants).extracting(g -> g.get("Action")).containsExactlyInAnyOrder("lambda:InvokeFunction", "sqs:SendMessage");
    }

    @Test
    void theApiRole_managesSchedulesOnlyInHeraldsGroups_andPassesOnlyTheSchedulerRole() {
        List<Map<String, Object>> grants = list(map(map(list(properties("ApiRole").get("Policies")).get(0))
                .get("PolicyDocument")).get("Statement")).stream().map(TemplateTest::map).toList();

        assertThat(grants).filteredOn(g -> list(g.get("Action")).stream().anyMatch(a -> String.valueOf(a).startsWith("scheduler:")))
                .hasSize(2).allSatisfy(g -> assertThat(String.valueOf(map(g.get("Resource")).get("Fn::Sub")))
                        .contains(":schedule").contains("/herald-${Stage}-*"));
        assertThat(grants).filteredOn(g -> "iam:PassRole".equals(g.get("Action"))).singleElement()
                .satisfies(g -> assertThat(g.get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of("SchedulerRole", "Arn"))));
        assertThat(TEMPLATE_TEXT).contains("HERALD_SCHEDULE_GROUP_PREFIX: !Sub herald-${Stage}-");
    }

    // ---------------------------------------------------------------- deployment settings

    @Test
    void eachSamconfigEnvironment_setsEveryRequiredParameter_withAllowedValues_andNothingElse() {
        Map<String, Object> parameters = map(TEMPLATE.get("Parameters"));
        Matcher overrides = Pattern.compile("(?m)^\\[(\\w+)\\.deploy\\.parameters]$[^\\[]*?^parameter_overrides = \"([^\"]*)\"")
                .matcher(read(ROOT.resolve("infra").resolve("samconfig.toml")));
        Set<String> environments = new TreeSet<>();
        while (overrides.find()) {
            environments.add(overrides.group(1));
            Map<String, String> values = new LinkedHashMap<>();
            for (String pair : overrides.group(2).split(" ")) {
                values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            assertThat(parameters).as(overrides.group(1)).containsKeys(values.keySet().toArray(String[]::new));
            parameters.forEach((name, definition) -> {
                Map<String, Object> parameter = map(definition);
                if (!parameter.containsKey("Default")) {
                    assertThat(values).as("%s sets %s", overrides.group(1), name).containsKey(name);
                }
                String value = values.get(name);
                if (value != null && parameter.containsKey("AllowedPattern")) {
                    assertThat(value).as("%s's %s", overrides.group(1), name).matches((String) parameter.get("AllowedPattern"));
                }
                if (value != null && parameter.containsKey("AllowedValues")) {
                    assertThat(list(parameter.get("AllowedValues")).stream().map(String::valueOf))
                            .as("%s's %s", overrides.group(1), name).contains(value);
                }
            });
            assertThat(values.get("Stage")).isEqualTo(overrides.group(1));
        }
        assertThat(environments).containsExactly("dev", "prod");
    }
}
