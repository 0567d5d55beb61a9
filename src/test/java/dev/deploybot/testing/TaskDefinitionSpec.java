package dev.deploybot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Fargate task definition as a test sets it up with {@link FakeEcs#createService}: the containers and the
 * task-level fields deployments must carry over, plus any other writable field as raw JSON.
 *
 * @param otherFields further RegisterTaskDefinition members by name, e.g. {@code taskRoleArn}, {@code volumes},
 *                    {@code runtimePlatform}; they win over the defaults above
 */
public record TaskDefinitionSpec(String family, List<Container> containers, String cpu, String memory,
                                 String executionRoleArn, Map<String, String> tags, Map<String, JsonNode> otherFields) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TaskDefinitionSpec {
        Objects.requireNonNull(family, "family");
        containers = List.copyOf(containers);
        tags = Map.copyOf(tags);
        otherFields = Map.copyOf(otherFields);
    }

    /** @param containerPort 0 for a container without port mappings */
    public record Container(String name, String image, int containerPort, boolean essential) {
    }

    /** 0.25 vCPU, 512 MiB, an execution role, no tags. */
    public static TaskDefinitionSpec of(String family, Container... containers) {
        return new TaskDefinitionSpec(family, List.of(containers), "256", "512",
                "arn:aws:iam::" + FakeAws.ACCOUNT_ID + ":role/" + family + "-execution", Map.of(), Map.of());
    }

    public static Container container(String name, String image, int containerPort) {
        return new Container(name, image, containerPort, true);
    }

    public static Container sidecar(String name, String image) {
        return new Container(name, image, 0, false);
    }

    public TaskDefinitionSpec withTags(Map<String, String> tags) {
        return new TaskDefinitionSpec(family, containers, cpu, memory, executionRoleArn, tags, otherFields);
    }

    public TaskDefinitionSpec with(String field, JsonNode value) {
        Map<String, JsonNode> fields = new LinkedHashMap<>(otherFields);
        fields.put(field, value);
        return new TaskDefinitionSpec(family, containers, cpu, memory, executionRoleArn, tags, fields);
    }

    /** The RegisterTaskDefinition request this spec stands for. */
    ObjectNode toRequest() {
        ObjectNode request = JSON.createObjectNode();
        request.put("family", family);
        ArrayNode definitions = request.putArray("containerDefinitions");
        for (Container container : containers) {
            ObjectNode definition = definitions.addObject();
            definition.put("name", container.name());
            definition.put("image", container.image());
            definition.put("essential", container.essential());
            ArrayNode ports = definition.putArray("portMappings");
            if (container.containerPort() > 0) {
                ports.addObject().put("containerPort", container.containerPort()).put("protocol", "tcp");
            }
        }
        request.put("networkMode", "awsvpc");
        request.putArray("requiresCompatibilities").add("FARGATE");
        request.put("cpu", cpu);
        request.put("memory", memory);
        if (executionRoleArn != null) {
            request.put("executionRoleArn", executionRoleArn);
        }
        if (!tags.isEmpty()) {
            ArrayNode tagList = request.putArray("tags");
            tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(tag -> tagList.addObject().put("key", tag.getKey()).put("value", tag.getValue()));
        }
        otherFields.forEach((name, value) -> request.set(name, value.deepCopy()));
        return request;
    }
}
