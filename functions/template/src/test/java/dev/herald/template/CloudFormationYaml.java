package dev.herald.template;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a CloudFormation template written in YAML, short-form tags included: {@code !Ref x} becomes
 * {@code {"Ref": x}}, {@code !GetAtt a.b} becomes {@code {"Fn::GetAtt": [a, b]}}, {@code !Sub ...}
 * becomes {@code {"Fn::Sub": ...}}, and so on, as CloudFormation reads them.
 */
final class CloudFormationYaml {

    private static final List<String> FUNCTIONS = List.of("And", "Base64", "Cidr", "Equals", "FindInMap", "GetAZs",
            "If", "ImportValue", "Join", "Not", "Or", "Select", "Split", "Sub", "Transform", "Length", "ToJsonString");

    private CloudFormationYaml() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String yaml) {
        return (Map<String, Object>) new Yaml(new Constructor()).load(yaml);
    }

    private static final class Constructor extends SafeConstructor {
        Constructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            yamlConstructors.put(new Tag("!GetAtt"), new GetAtt());
            for (String function : FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new Intrinsic("Fn::" + function));
            }
        }

        private class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                return Map.of(key, value(node));
            }

            Object value(Node node) {
                if (node instanceof ScalarNode scalar) {
                    return constructScalar(scalar);
                }
                if (node instanceof SequenceNode sequence) {
                    return constructSequence(sequence);
                }
                return constructMapping((MappingNode) node);
            }
        }

        /** {@code !GetAtt Resource.Attribute}: the attribute may itself contain dots. */
        private final class GetAtt extends Intrinsic {
            GetAtt() {
                super("Fn::GetAtt");
            }

            @Override
            Object value(Node node) {
                if (node instanceof ScalarNode scalar) {
                    return Arrays.asList(constructScalar(scalar).split("\\.", 2));
                }
                return super.value(node);
            }
        }
    }
}
