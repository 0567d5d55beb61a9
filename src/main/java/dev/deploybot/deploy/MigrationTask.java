package dev.deploybot.deploy;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A release's migration task as started (or found again after a restart).
 *
 * @param id        the task's ARN
 * @param container the container whose exit code decides
 * @param createdAt when ECS accepted it: the timeout counts from here, so a restart does not extend it
 * @param logs      where the container's output goes, when the task definition uses the awslogs driver
 */
public record MigrationTask(String id, String container, Instant createdAt, Optional<LogStream> logs) {
    public MigrationTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(logs, "logs");
    }

    /**
     * One log stream.
     *
     * @param link where people read it (the CloudWatch console)
     */
    public record LogStream(String group, String stream, String link) {
        public LogStream {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(stream, "stream");
            Objects.requireNonNull(link, "link");
        }
    }
}
