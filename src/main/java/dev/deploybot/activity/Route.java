package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where news about one CodeBuild project, CodeDeploy application or ECS service goes, and which of it.
 *
 * @param states which states earn a new message; failures always do, and a message once posted is kept
 *               current whatever its state
 */
public record Route(String name, Match match, String channel, Set<Progress> states) {
    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(channel, "channel");
        states = states.isEmpty() ? EnumSet.of(Progress.FAILED) : EnumSet.copyOf(states);
        states.add(Progress.FAILED);
        states = Set.copyOf(states);
    }

    public boolean wants(Progress progress) {
        return states.contains(progress);
    }

    /** What a route is for. */
    public sealed interface Match {
    }

    public record CodeBuildProject(String project) implements Match {
    }

    public record CodeDeployApplication(String application) implements Match {
    }

    /** An ECS service; ECS names the cluster in the service ARN only in the new ARN format. */
    public record EcsService(String cluster, String service) implements Match {
    }
}
