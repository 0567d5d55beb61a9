package dev.deploybot.deploy;

import java.util.Objects;

/**
 * What identifies a started deployment so it can be followed, also after a restart.
 *
 * @param id           the ECS deployment id, CodeDeploy deployment id or CodeBuild build id
 * @param revision     what was put in service: the task definition ARN, or the image URI for codebuild
 */
public record DeploymentHandle(String id, String revision) {
    public DeploymentHandle {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(revision, "revision");
    }
}
