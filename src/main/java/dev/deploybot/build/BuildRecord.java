package dev.deploybot.build;

import java.time.Instant;
import java.util.Objects;

/** A build the bot started, tied to who asked and to the Slack message that tells about it. */
public record BuildRecord(String buildId, String environment, String project, String ref, String requester,
                          String channel, String messageTs, Instant startedAt) {
    public BuildRecord {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    public BuildRecord withMessage(String channelId, String ts) {
        return new BuildRecord(buildId, environment, project, ref, requester, channelId, ts, startedAt);
    }
}
