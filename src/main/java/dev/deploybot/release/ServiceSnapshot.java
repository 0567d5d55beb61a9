package dev.deploybot.release;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What an ECS service runs now, from its PRIMARY deployment.
 *
 * @param digest         the digest the target container is pinned to; empty when it names a tag, which does not
 *                       say what runs
 * @param taskDefinition {@code family:revision}
 * @param rolloutState   ECS's word: {@code COMPLETED}, {@code IN_PROGRESS} or {@code FAILED}; {@code UNKNOWN} when
 *                       ECS does not say (services controlled by CodeDeploy)
 * @param startedAt      when the deployment was created
 * @param updatedAt      when ECS last changed it; for a completed rollout, when it completed
 */
public record ServiceSnapshot(Optional<String> digest, String taskDefinition, String rolloutState, int running,
                              int desired, Instant startedAt, Instant updatedAt) {
    public ServiceSnapshot {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(taskDefinition, "taskDefinition");
        Objects.requireNonNull(rolloutState, "rolloutState");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean completed() {
        return "COMPLETED".equals(rolloutState);
    }

    public boolean runs(String digest) {
        return this.digest.map(digest::equals).orElse(false);
    }
}
