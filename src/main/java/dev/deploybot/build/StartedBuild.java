package dev.deploybot.build;

import java.util.Objects;

/** A build the CI service accepted. */
public record StartedBuild(String id, String project, long number, String logsUrl) {
    public StartedBuild {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(project, "project");
    }
}
