package dev.deploybot.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One deploy target as the operator configured it. Validated when configuration is read, so
 * features can rely on every present part being complete.
 *
 * @param allowedChannels channels where commands for this environment are accepted; empty means anywhere
 */
public record Environment(String name, String channel, List<String> allowedChannels, Optional<BuildSettings> build) {
    public Environment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channel, "channel");
        allowedChannels = List.copyOf(allowedChannels);
        Objects.requireNonNull(build, "build");
    }

    public boolean acceptsCommandsFrom(String channelId) {
        return allowedChannels.isEmpty() || allowedChannels.contains(channelId);
    }

    /** How the environment's CodeBuild project is started from Slack. */
    public record BuildSettings(String project, String defaultRef) {
        public BuildSettings {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(defaultRef, "defaultRef");
        }
    }
}
