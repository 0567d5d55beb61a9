package dev.deploybot.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The AppSpec of an ECS blue/green deployment: which task definition, and where the load balancer sends traffic. */
record EcsAppSpec(String taskDefinitionArn, String containerName, int containerPort) {
    private static final ObjectMapper JSON = new ObjectMapper();

    EcsAppSpec {
        Objects.requireNonNull(taskDefinitionArn, "taskDefinitionArn");
        Objects.requireNonNull(containerName, "containerName");
        if (containerPort <= 0) {
            throw new IllegalArgumentException("the AppSpec needs the container port the load balancer routes to");
        }
    }

    /** JSON, which CodeDeploy reads as it reads YAML. */
    String content() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("TaskDefinition", taskDefinitionArn);
        properties.put("LoadBalancerInfo", Map.of("ContainerName", containerName, "ContainerPort", containerPort));
        Map<String, Object> appSpec = new LinkedHashMap<>();
        appSpec.put("version", 0.0);
        appSpec.put("Resources", List.of(Map.of("TargetService",
                Map.of("Type", "AWS::ECS::Service", "Properties", properties))));
        try {
            return JSON.writeValueAsString(appSpec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
