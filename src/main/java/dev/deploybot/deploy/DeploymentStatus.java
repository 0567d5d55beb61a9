package dev.deploybot.deploy;

import java.util.Objects;

/**
 * One look at a deployment.
 *
 * @param progress for people: e.g. "2/3 tasks running" or the current build phase
 * @param failure  why it failed (ECS rolloutStateReason, CodeDeploy error, failed build phase); null unless FAILED
 */
public record DeploymentStatus(Phase phase, String progress, String failure) {
    public DeploymentStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(progress, "progress");
    }

    public enum Phase {
        IN_PROGRESS, SUCCEEDED, FAILED;

        public boolean finished() {
            return this != IN_PROGRESS;
        }
    }
}
