package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.time.Instant;
import java.util.Objects;

/**
 * What a CodeDeploy or ECS deployment event says.
 *
 * @param kind         {@link Subject.Kind#CODEDEPLOY} or {@link Subject.Kind#ECS}
 * @param deploymentId CodeDeploy's {@code d-…} or ECS's {@code ecs-svc/…}
 * @param scope        the CodeDeploy application, or the ECS cluster (null when the event does not say)
 * @param name         the CodeDeploy deployment group, or the ECS service
 * @param state        the service's own word for the state (START, SUCCESS, SERVICE_DEPLOYMENT_FAILED, …)
 * @param reason       ECS's explanation, when there is one
 */
public record DeploymentChange(Subject.Kind kind, String deploymentId, String scope, String name, String state,
                               Progress progress, String reason, Instant occurredAt) implements Change {
    public DeploymentChange {
        if (kind != Subject.Kind.CODEDEPLOY && kind != Subject.Kind.ECS) {
            throw new IllegalArgumentException("not a deployment kind: " + kind);
        }
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public Subject subject() {
        return new Subject(kind, deploymentId);
    }
}
