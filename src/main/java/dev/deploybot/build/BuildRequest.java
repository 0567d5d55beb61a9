package dev.deploybot.build;

import java.util.Map;
import java.util.Objects;

/**
 * What to start. The idempotency token makes a replayed command start the same build instead of a
 * second one (CodeBuild honours a token for five minutes, Slack's own replay window).
 */
public record BuildRequest(String project, GitRef ref, Map<String, String> environmentVariables, String idempotencyToken) {
    public BuildRequest {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(ref, "ref");
        environmentVariables = Map.copyOf(environmentVariables);
        Objects.requireNonNull(idempotencyToken, "idempotencyToken");
    }
}
