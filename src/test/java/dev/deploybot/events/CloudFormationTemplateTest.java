package dev.deploybot.events;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The operators' template parses and wires what the bot reads: every detail-type it handles reaches the queue. */
class CloudFormationTemplateTest {
    private static Map<String, Object> template;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/cloudformation/deploybot-events.yaml"))) {
            template = new Yaml(new CloudFormationConstructor()).load(reader);
        }
    }

    @Test
    void rulesCoverExactlyTheDetailTypesTheBotTranslates() {
        Set<String> handled = new HashSet<>();
        Stream.of(new CodeBuildStateTranslator(), new CodeBuildPhaseTranslator(), new CodeDeployTranslator(),
                new EcsDeploymentTranslator(), new EcrImageTranslator(), new CloudWatchAlarmTranslator()).forEach(t -> handled.add(t.detailType()));

        Set<String> routed = new HashSet<>();
        for (Map<String, Object> rule : resourcesOfType("AWS::Events::Rule")) {
            Map<String, Object> properties = map(rule.get("Properties"));
            List<Object> branches = list(map(properties.get("EventPattern")).get("Fn::If"));
            for (Object pattern : branches.subList(1, 3)) {
                routed.addAll(strings(map(pattern).get("detail-type")));
            }
            Map<String, Object> target = map(list(properties.get("Targets")).get(0));
            assertThat(target.get("Arn")).isEqualTo(Map.of("Fn::GetAtt", "EventsQueue.Arn"));
            assertThat(map(target.get("DeadLetterConfig")).get("Arn")).isEqualTo(Map.of("Fn::GetAtt", "DeadLetterQueue.Arn"));
        }
        assertThat(routed).isEqualTo(handled);
    }

    @Test
    void theQueueMovesPoisonToItsDeadLetterQueueAndOnlyTheRulesMaySendToIt() {
        Map<String, Object> queue = map(map(resources().get("EventsQueue")).get("Properties"));
        Map<String, Object> redrive = map(queue.get("RedrivePolicy"));
        assertThat(redrive.get("deadLetterTargetArn")).isEqualTo(Map.of("Fn::GetAtt", "DeadLetterQueue.Arn"));
        assertThat(redrive.get("maxReceiveCount")).isEqualTo(Map.of("Ref", "MaxReceiveCount"));
        assertThat(queue.get("ReceiveMessageWaitTimeSeconds")).isEqualTo(20);

        Map<String, Object> statement = map(list(map(map(map(resources().get("EventsQueuePolicy")).get("Properties"))
                .get("PolicyDocument")).get("Statement")).get(0));
        assertThat(statement.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
        assertThat(statement.get("Action")).isEqualTo("sqs:SendMessage");
        List<Object> sources = list(map(map(statement.get("Condition")).get("ArnEquals")).get("aws:SourceArn"));
        assertThat(sources).hasSize(resourcesOfType("AWS::Events::Rule").size());
    }

    @Test
    void theManagedPolicyGrantsWhatThePollerAndReconcilerCall() {
        List<Object> statements = list(map(map(map(resources().get("DeploybotEventsPolicy")).get("Properties"))
                .get("PolicyDocument")).get("Statement"));
        Set<String> actions = new HashSet<>();
        statements.forEach(statement -> actions.addAll(strings(map(statement).get("Action"))));
        assertThat(actions).contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
                "codebuild:BatchGetBuilds", "codebuild:StartBuild", "cloudwatch:DescribeAlarms",
                "ecs:RunTask", "ecs:DescribeTasks", "ecs:ListTasks", "ecs:StopTask", "logs:GetLogEvents");
        assertThat(map(template.get("Outputs"))).containsKeys("QueueUrl", "DeadLetterQueueUrl", "PolicyArn");
    }

    private static Map<String, Object> resources() {
        return map(template.get("Resources"));
    }

    private static List<Map<String, Object>> resourcesOfType(String type) {
        List<Map<String, Object>> found = new ArrayList<>();
        resources().values().forEach(resource -> {
            if (type.equals(map(resource).get("Type"))) {
                found.add(map(resource));
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    private static List<String> strings(Object value) {
        return value instanceof List<?> values ? values.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
    }

    /** Reads CloudFormation's short tags ({@code !Ref}, {@code !GetAtt}, {@code !Sub}, …) as their long {@code Fn::} forms. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String function = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(function.equals("Ref") ? "Ref" : "Fn::" + function, value);
                }
            });
        }
    }
}
