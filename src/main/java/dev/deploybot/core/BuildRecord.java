package dev.deploybot.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A build the bot started, tied to who asked. Its messages are the outbox's, keyed by the build, so the start
 * message and what events tell later are one message.
 *
 * @param channel where its messages go (the environment's channel when it started); null for builds recorded
 *                before the outbox whose start message never reached Slack
 */
public record BuildRecord(String buildId, String environment, String project, String ref, String requester,
                          String channel, Instant startedAt) {
    public BuildRecord {
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
