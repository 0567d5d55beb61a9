package dev.deploybot.build;

/** Starts builds on the CI service. Throws {@link dev.deploybot.core.ExternalFailure} when it refuses. */
public interface BuildRunner {
    StartedBuild start(BuildRequest request);
}
