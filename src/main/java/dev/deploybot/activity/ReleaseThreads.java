package dev.deploybot.activity;

import java.util.Optional;

/** Release requests whose deployment news belongs in their own Slack thread. Read-only. */
public interface ReleaseThreads {
    /** The outbox key of a release's own message, whose thread tells its story. */
    static String messageKey(String releaseId) {
        return KEY_PREFIX + releaseId;
    }

    String KEY_PREFIX = "release:";

    /** The release whose deployment has this id (ECS or CodeDeploy), with its message, if it has one. */
    Optional<ReleaseThread> forDeployment(String deploymentId);

    record ReleaseThread(String releaseId, String environment, String channel, String messageTs) {
    }
}
