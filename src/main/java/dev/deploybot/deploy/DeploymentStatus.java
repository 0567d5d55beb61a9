package dev.deploybot.deploy;

import dev.deploybot.core.Progress;

import java.util.Objects;

/**
 * One look at a deployment.
 *
 * @param phase    where it stands, in the same words as the events about it ({@link Progress})
 * @param progress for people: e.g. "2/3 tasks running" or the current build phase
 * @param failure  why it failed (ECS rolloutStateReason, CodeDeploy error, failed build phase); null unless FAILED
 */
public record DeploymentStatus(Progress phase, String progress, String failure) {
    public DeploymentStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(progress, "progress");
    }
}
