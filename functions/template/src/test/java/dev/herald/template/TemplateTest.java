package dev.herald.template;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.aws.DynamoDbStore;
import dev.herald.aws.EmfRunMetrics;
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
    /** Schemas of types the shared folder lacks, taken from the cfn-lint the template is linted with (see its README). */
    private static final Path SCHEMA_ADDITIONS = SCHEMA_COPIES.resolve("from-cfn-lint");
    private static final Schemas SCHEMAS = new Schemas(Files.isDirectory(SHARED_SCHEMAS) ? SHARED_SCHEMAS : SCHEMA_COPIES,
            SCHEMA_ADDITIONS);
    private static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs",
            "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    /** Settings the functions read only to reach emulators or LocalStack: on AWS the SDK's defaults apply. */
    private static final Set<String> EMULATOR_OVERRIDES = Set.of("HERALD_AWS_REGION", "HERALD_AWS_ENDPOINT",
            "HERALD_AWS_DYNAMODB_ENDPOINT", "HERALD_AWS_SES_ENDPOINT", "HERALD_AWS_SECRETS_MANAGER_ENDPOINT");
    /** The send function's alias, by name: a reference would make the API side depend on the send function. */
    private static final Map<String, String> SEND_FUNCTION_ALIAS = Map.of("Fn::Sub",
            "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:herald-${Stage}-send:live");

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

    // ---------------------------------------------------------------- the linter people deploy SAM with

    @Test
    void cfnLint_theLinterPeopleDeploySamWith_reportsNoErrorAndNoWarning() throws Exception {
        List<Map<String, Object>> findings = CfnLint.lint(ROOT, "template.yaml");

        assertThat(findings).as("cfn-lint findings").isEmpty();
    }

    @Test
    void cfnLint_findsWhatCloudFormationWouldRefuse() throws Exception {
        Path broken = Files.createTempFile(ROOT.resolve("functions/template/target"), "broken-", ".yaml");
        Files.writeString(broken, TEMPLATE_TEXT.replace("Runtime: java25", "Runtime: java17"));

        assertThat(CfnLint.lint(ROOT, ROOT.relativize(broken).toString()))
                .extracting(finding -> map(finding.get("Rule")).get("Id")).contains("E2533");
    }

    /** A rule may be switched off only for one resource, where its Metadata says so, with the reason beside it. */
    @Test
    void noLintRuleIsSwitchedOff_butForOneResource_withItsReason() throws IOException {
        assertThat(map(TEMPLATE.get("Metadata"))).doesNotContainKey("cfn-lint");
        try (Stream<Path> files = Files.list(ROOT)) {
            assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(".cfnlintrc", ".cfnlintrc.yaml", ".cfnlintrc.json");
        }
        List<String> ignoreLines = TEMPLATE_TEXT.lines().filter(line -> line.contains("ignore_checks")).toList();
        assertThat(ignoreLines).allSatisfy(line -> assertThat(line).as("the reason for switching a rule off").matches(".*# \\S.*"));
    }

    @Test
    void theFunctionsRuntime_isOneLambdaCreatesToday_onArm64WithSnapStart_andTheTestsRunOnItsJdk() {
        Map<String, Object> function = map(map(TEMPLATE.get("Globals")).get("Function"));

        assertThat(function).containsEntry("Runtime", "java25").containsEntry("Architectures", List.of("arm64"))
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(Runtime.version().feature()).as("the JDK the tests run on").isEqualTo(25);
        assertThat(resourcesOfType("AWS::Serverless::Function").keySet())
                .allSatisfy(name -> assertThat(properties(name)).doesNotContainKeys("Runtime", "Architectures"));
    }

    // ---------------------------------------------------------------- what operators see

    /** The dashboard's widgets, its substitutions replaced by {@code <name>}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> dashboardWidgets() throws IOException {
        String body = String.valueOf(map(properties("Dashboard").get("DashboardBody")).get("Fn::Sub"));
        String substituted = body.replaceAll("\\$\\{([^}]+)}", "<$1>");
        return (List<Map<String, Object>>) new ObjectMapper().readValue(substituted, Map.class).get("widgets");
    }

    /** Each metric a dashboard widget draws: namespace, name, dimensions and stat, as one line. */
    private static List<String> dashboardMetrics() throws IOException {
        List<String> metrics = new ArrayList<>();
        for (Map<String, Object> widget : dashboardWidgets()) {
            Map<String, Object> properties = map(widget.get("properties"));
            for (Object entry : list(properties.get("metrics"))) {
                List<Object> metric = list(entry);
                Map<String, Object> options = metric.get(metric.size() - 1) instanceof Map<?, ?> o ? map(o) : Map.of();
                List<Object> names = metric.stream().filter(part -> !(part instanceof Map<?, ?>)).toList();
                Object stat = options.getOrDefault("stat", properties.get("stat"));
                metrics.add(names.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")) + " " + stat);
            }
        }
        return metrics;
    }

    @Test
    void theDashboard_drawsTheFunctionsHeraldsMetricsTheQueueTheTableAndTheHttpApi() throws IOException {
        assertThat(properties("Dashboard").get("DashboardName")).isEqualTo(Map.of("Fn::Sub", "herald-${Stage}"));
        assertThat(dashboardWidgets()).filteredOn(w -> "metric".equals(w.get("type")))
                .allSatisfy(w -> assertThat(map(w.get("properties"))).containsEntry("region", "<AWS::Region>"));
        List<String> metrics = dashboardMetrics();

        for (String function : List.of("SendFunction", "ApiFunction")) {
            assertThat(metrics).contains("AWS/Lambda Invocations FunctionName <%s> Sum".formatted(function),
                    "AWS/Lambda Errors FunctionName <%s> Sum".formatted(function),
                    "AWS/Lambda Throttles FunctionName <%s> Sum".formatted(function),
                    "AWS/Lambda Duration FunctionName <%s> p99".formatted(function));
        }
        assertThat(metrics).contains("Herald/<Stage> RecipientsSent Sum", "Herald/<Stage> RecipientsFailed Sum",
                "Herald/<Stage> RecipientsUnknown Sum", "Herald/<Stage> Throttles Sum",
                "Herald/<Stage> Lateness p50", "Herald/<Stage> Lateness p99",
                "AWS/SQS ApproximateNumberOfMessagesVisible QueueName <DeadLetterQueue.QueueName> Maximum",
                "AWS/DynamoDB ReadThrottleEvents TableName <Table> Sum", "AWS/DynamoDB WriteThrottleEvents TableName <Table> Sum",
                "AWS/ApiGateway 4xx ApiId <HttpApi> Stage $default Sum", "AWS/ApiGateway 5xx ApiId <HttpApi> Stage $default Sum",
                "AWS/ApiGateway Latency ApiId <HttpApi> Stage $default p99");
    }

    /** Herald's own metrics that alarms and the dashboard read are ones the send function publishes, in its namespace. */
    @Test
    void everyHeraldMetricReadByAnAlarmOrTheDashboard_isOneTheSendFunctionPublishes_inItsNamespace() throws IOException {
        Object namespace = map(map(properties("SendFunction").get("Environment")).get("Variables")).get("HERALD_METRICS_NAMESPACE");
        String substituted = "Herald/<Stage>";
        List<String> read = new ArrayList<>();
        resourcesOfType("AWS::CloudWatch::Alarm").keySet().forEach(alarm -> {
            if (namespace.equals(properties(alarm).get("Namespace"))) {
                read.add((String) properties(alarm).get("MetricName"));
            }
        });
        dashboardMetrics().stream().filter(m -> m.startsWith(substituted + " ")).forEach(m -> read.add(m.split(" ")[1]));

        assertThat(namespace).isEqualTo(Map.of("Fn::Sub", "Herald/${Stage}"));
        assertThat(read).hasSizeGreaterThan(6).allSatisfy(metric -> assertThat(EmfRunMetrics.METRICS).contains(metric));
    }

    @Test
    void theAlarms_watchTheFunctionsTheHttpApiTheTableTheQueueAndHeraldsMetrics() {
        Map<String, Object> alarms = resourcesOfType("AWS::CloudWatch::Alarm");
        List<String> watched = new ArrayList<>();
        alarms.keySet().forEach(alarm -> {
            Map<String, Object> properties = properties(alarm);
            List<Object> metrics = properties.containsKey("Metrics")
                    ? list(properties.get("Metrics")).stream().map(m -> map(map(map(m).get("MetricStat")).get("Metric")))
                            .filter(m -> !m.isEmpty()).map(m -> (Object) m).toList()
                    : List.of(properties);
            metrics.forEach(m -> watched.add(map(m).get("Namespace") + " " + map(m).get("MetricName") + " "
                    + list(map(m).get("Dimensions")).stream().map(d -> String.valueOf(map(d).get("Value"))).toList()));
        });

        assertThat(watched).contains("AWS/Lambda Errors [{Ref=ApiFunction}]", "AWS/Lambda Errors [{Ref=SendFunction}]",
                "AWS/Lambda Throttles [{Ref=SendFunction}]", "AWS/ApiGateway 5xx [{Ref=HttpApi}, $default]",
                "AWS/DynamoDB ReadThrottleEvents [{Ref=Table}]", "AWS/DynamoDB WriteThrottleEvents [{Ref=Table}]",
                "AWS/SQS ApproximateNumberOfMessagesVisible [{Fn::GetAtt=[DeadLetterQueue, QueueName]}]");
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
        // SAM writes an HTTP API's description into its OpenAPI document itself: it must be a literal.
        assertThat(SCHEMAS.samProblems(Schemas.samDefinition("AWS::Serverless::HttpApi"), Map.of(
                "Type", "AWS::Serverless::HttpApi", "Properties", Map.of("Description", Map.of("Fn::Sub", "Herald ${Stage}")))))
                .singleElement().asString().contains("Description");
        assertThat(SCHEMAS.samProblems(Schemas.samDefinition("AWS::Serverless::Function"), Map.of(
                "Type", "AWS::Serverless::Function", "Properties", Map.of("Handler", "x.Y",
                        "FunctionName", Map.of("Fn::Sub", "f-${Stage}"), "Role", Map.of("Fn::GetAtt", List.of("R", "Arn")))))).isEmpty();
        assertThatThrownBy(() -> SCHEMAS.cloudFormationProblems("AWS::EC2::Instance", Map.of()))
                .hasMessageContaining("No CloudFormation schema for AWS::EC2::Instance");
    }

    @Test
    void theSchemaCopiesInTheRepository_areTheSharedOnes() throws IOException {
        assumeTrue(Files.isDirectory(SHARED_SCHEMAS), "the shared schemas folder is not beside this checkout");
        try (Stream<Path> copies = Files.walk(SCHEMA_COPIES)) {
            for (Path copy : copies.filter(Files::isRegularFile).filter(p -> !p.endsWith("README.md"))
                    .filter(p -> !p.startsWith(SCHEMA_ADDITIONS)).toList()) {
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
        assertThat(functions).containsOnlyKeys("ApiFunction", "SendFunction", "FeedbackFunction");
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
                "SendFunction", Class.forName("dev.herald.send.SendConfiguration"),
                "FeedbackFunction", Class.forName("dev.herald.send.FeedbackConfiguration"));

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
        for (String given : List.of("ApiFunction", "SendFunction")) {
            String arn = String.valueOf(map(map(map(properties(given).get("Environment")).get("Variables"))
                    .get("HERALD_SEND_FUNCTION_ARN")).get("Fn::Sub"));
            assertThat(arn).as(given).isEqualTo("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
                    + map(send.get("FunctionName")).get("Fn::Sub") + ":" + function.get("AutoPublishAlias"));
        }
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
        // A principal of '*' only ever with the account it must call from, and the reason beside it.
        List<Map<String, Object>> anyone = statements.stream().filter(st -> "*".equals(map(st.get("Principal")).get("AWS"))).toList();
        assertThat(anyone).isNotEmpty().allSatisfy(st -> assertThat(map(map(st.get("Condition")).get("StringEquals")))
                .containsEntry("kms:CallerAccount", Map.of("Ref", "AWS::AccountId")));
        assertThat(TEMPLATE_TEXT.lines().filter(line -> line.matches("\\s*AWS: '\\*'.*")))
                .hasSize(anyone.size()).allSatisfy(line -> assertThat(line).matches(".*'\\*' # \\S.*"));
    }

    /** Herald's encryption context, as every grant of the job-account key's use must require it. */
    private static final Map<String, Object> HERALD_CONTEXT = Map.of(
            "ForAllValues:StringEquals", Map.of("kms:EncryptionContextKeys", List.of("herald:messageSystem", "herald:purpose")),
            "Null", Map.of("kms:EncryptionContextKeys", "false"),
            "StringEquals", Map.of("kms:EncryptionContext:herald:purpose", "job-account"));

    /** Every IAM statement of a role's inline policies or a key's policy, keyed by where it stands. */
    private static Map<String, List<Map<String, Object>>> policyStatements() {
        Map<String, List<Map<String, Object>>> found = new LinkedHashMap<>();
        resources().forEach((name, resource) -> {
            String type = (String) map(resource).get("Type");
            List<Object> statements = new ArrayList<>();
            if (type.equals("AWS::IAM::Role")) {
                list(properties(name).get("Policies")).forEach(p -> statements.addAll(list(map(map(p).get("PolicyDocument")).get("Statement"))));
            } else if (type.equals("AWS::KMS::Key")) {
                statements.addAll(list(map(properties(name).get("KeyPolicy")).get("Statement")));
            } else if (type.equals("AWS::SQS::QueuePolicy")) {
                statements.addAll(list(map(properties(name).get("PolicyDocument")).get("Statement")));
            } else {
                assertThat(type).as("%s: a resource type that holds IAM statements this test does not read", name)
                        .isNotIn("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::KMS::ReplicaKey", "AWS::SQS::QueuePolicy",
                                "AWS::SNS::TopicPolicy");
            }
            if (!statements.isEmpty()) {
                found.put(name, statements.stream().map(TemplateTest::map).toList());
            }
        });
        return found;
    }

    private static boolean usesTheKeyForData(Map<String, Object> statement) {
        return list(statement.get("Action")).stream().map(String::valueOf)
                .anyMatch(a -> a.equals("kms:*") || a.startsWith("kms:Encrypt") || a.startsWith("kms:Decrypt")
                        || a.startsWith("kms:ReEncrypt") || a.startsWith("kms:GenerateDataKey"));
    }

    @Test
    void onlyTheApiRoleMayEncrypt_andOnlyTheSendRoleDecrypt_jobAccountPasswords_underHeraldsContext() {
        Map<String, Object> theKey = Map.of("Fn::GetAtt", List.of("Key", "Arn"));
        Map<String, List<String>> grants = new LinkedHashMap<>();
        policyStatements().forEach((owner, statements) -> statements.stream().filter(TemplateTest::usesTheKeyForData).forEach(statement -> {
            Map<String, Object> condition = map(statement.get("Condition"));
            String sid = owner + "/" + statement.get("Sid");
            grants.computeIfAbsent(owner, o -> new ArrayList<>()).add(String.valueOf(statement.get("Action")));
            switch (owner) {
                case "ApiRole" -> {
                    assertThat(statement.get("Action")).as(sid).isEqualTo("kms:Encrypt");
                    assertThat(statement.get("Resource")).as(sid).isEqualTo(theKey);
                    assertThat(condition).as(sid).isEqualTo(HERALD_CONTEXT);
                }
                case "SendRole" -> {
                    assertThat(statement.get("Action")).as(sid).isEqualTo("kms:Decrypt");
                    assertThat(statement.get("Resource")).as(sid).isEqualTo(theKey);
                    assertThat(condition).as(sid).isEqualTo(HERALD_CONTEXT);
                }
                case "Key" -> {
                    Map<String, Object> equals = map(condition.get("StringEquals"));
                    if (equals.containsKey("kms:ViaService")) {
                        // The table's own encryption: only DynamoDB's calls for Herald's table, from this account.
                        assertThat(equals).as(sid)
                                .containsEntry("kms:ViaService", Map.of("Fn::Sub", "dynamodb.${AWS::Region}.amazonaws.com"))
                                .containsEntry("kms:CallerAccount", Map.of("Ref", "AWS::AccountId"))
                                .containsEntry("kms:EncryptionContext:aws:dynamodb:tableName", map(properties("Table").get("TableName")));
                    } else {
                        // Delegated to IAM, which may grant it only under Herald's context.
                        assertThat(map(statement.get("Principal")).get("AWS")).as(sid)
                                .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"));
                        assertThat(condition).as(sid).isEqualTo(HERALD_CONTEXT);
                    }
                }
                case "AlarmTopicKey" -> assertThat(properties("AlarmTopic").get("KmsMasterKeyId")).as(sid)
                        .isEqualTo(Map.of("Ref", "AlarmTopicKey"));
                default -> throw new AssertionError(sid + " may use a key's data operations: " + statement);
            }
        }));

        assertThat(grants).containsOnlyKeys("ApiRole", "SendRole", "Key", "AlarmTopicKey");
        assertThat(resourcesOfType("AWS::IAM::Role").keySet())
                .allSatisfy(role -> assertThat(properties(role)).as(role).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void theAlarmTopic_isEncryptedWithAKeyWhosePolicyLetsCloudWatchPublish_andEveryAlarmNotifiesIt() {
        Object keyRef = properties("AlarmTopic").get("KmsMasterKeyId");
        String key = String.valueOf(map(keyRef).get("Ref"));
        List<Map<String, Object>> keyPolicy = policyStatements().get(key);

        assertThat(resourcesOfType("AWS::KMS::Key")).as("the alarm topic's key is the stack's own").containsKey(key);
        assertThat(keyPolicy).anySatisfy(statement -> {
            assertThat(map(statement.get("Principal"))).isEqualTo(Map.of("Service", "cloudwatch.amazonaws.com"));
            assertThat(list(statement.get("Action"))).contains("kms:Decrypt", "kms:GenerateDataKey*");
            assertThat(statement).doesNotContainKey("Condition");
        });
        assertThat(resourcesOfType("AWS::CloudWatch::Alarm").keySet()).hasSizeGreaterThanOrEqualTo(9)
                .allSatisfy(alarm -> assertThat(list(properties(alarm).get("AlarmActions"))).as(alarm)
                        .containsExactly(Map.of("Ref", "AlarmTopic")));
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
                .satisfies(g -> assertThat(g.get("Resource")).isEqualTo(SEND_FUNCTION_ALIAS));
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
