package dev.deploybot.activity;

import java.util.Optional;

/**
 * The deployments the bot started for releases. Each release has one narrator (its message and thread, told
 * by the pipeline), so news about such a deployment is theirs to tell. Read-only.
 */
public interface ReleaseThreads {
    String KEY_PREFIX = "release:";

    /** The outbox key of a release's own message, whose thread tells its story. */
    static String messageKey(String releaseId) {
        return KEY_PREFIX + releaseId;
    }

    /** The release whose deployment has this id (ECS or CodeDeploy). */
    Optional<String> releaseOf(String deploymentId);
}
