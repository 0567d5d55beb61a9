package dev.deploybot.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One deploy target as the operator configured it. Validated when configuration is read, so
 * features can rely on every present part being complete.
 *
 * @param allowedChannels channels where commands for this environment are accepted; empty means anywhere
 * @param build           the build project {@code /deploy <name> [ref]} starts (staging-style environments)
 * @param release         the approval-gated tag promotion {@code /deploy <name>} asks for (production-style)
 * @param deploy          how a released digest is put into service
 */
public record Environment(String name, String channel, List<String> allowedChannels, Optional<BuildSettings> build,
                          Optional<ReleaseSettings> release, Optional<DeploySettings> deploy) {
    public Environment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(channel, "channel");
        allowedChannels = List.copyOf(allowedChannels);
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(deploy, "deploy");
    }

    public Environment(String name, String channel, List<String> allowedChannels, Optional<BuildSettings> build) {
        this(name, channel, allowedChannels, build, Optional.empty(), Optional.empty());
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

    /**
     * The release gate and the tags it moves.
     *
     * @param generationTags newest first: {@code [release, release-1gen, release-2gen]}; at least one
     * @param approvers      Slack user IDs (U…/W…) and user group IDs (S…)
     * @param compareUrl     optional template with {@code {from}} and {@code {to}}
     * @param commitTagPattern regular expression picking the tag that names a commit (e.g. a git SHA tag)
     * @param rollback       who must agree to a rollback
     * @param restoreTagsOnFailure whether a release whose deployment failed puts the tags back as they were
     * @param bake           watch alarms for a while after the deployment before calling the release done
     * @param requires       the environment that must run a candidate healthily before it may be released here
     * @param images         every image released together, the default one ({@code repository}) first
     */
    public record ReleaseSettings(String repository, String sourceTag, List<String> generationTags,
                                  List<String> approvers, int requiredApprovals, boolean allowSelfApproval,
                                  Duration expiresAfter, Optional<String> compareUrl, String commitTagPattern,
                                  RollbackPolicy rollback, boolean restoreTagsOnFailure, Optional<Bake> bake,
                                  Optional<Requirement> requires, List<ReleasedImage> images) {
        public ReleaseSettings(String repository, String sourceTag, List<String> generationTags,
                               List<String> approvers, int requiredApprovals, boolean allowSelfApproval,
                               Duration expiresAfter, Optional<String> compareUrl, String commitTagPattern,
                               RollbackPolicy rollback, boolean restoreTagsOnFailure) {
            this(repository, sourceTag, generationTags, approvers, requiredApprovals, allowSelfApproval, expiresAfter,
                    compareUrl, commitTagPattern, rollback, restoreTagsOnFailure, Optional.empty(), Optional.empty());
        }

        /** One repository, released into the deploy settings' container. */
        public ReleaseSettings(String repository, String sourceTag, List<String> generationTags,
                               List<String> approvers, int requiredApprovals, boolean allowSelfApproval,
                               Duration expiresAfter, Optional<String> compareUrl, String commitTagPattern,
                               RollbackPolicy rollback, boolean restoreTagsOnFailure, Optional<Bake> bake,
                               Optional<Requirement> requires) {
            this(repository, sourceTag, generationTags, approvers, requiredApprovals, allowSelfApproval, expiresAfter,
                    compareUrl, commitTagPattern, rollback, restoreTagsOnFailure, bake, requires,
                    List.of(new ReleasedImage(repository, Optional.empty())));
        }

        public ReleaseSettings {
            images = List.copyOf(images);
            if (images.isEmpty() || !images.get(0).repository().equals(repository)) {
                throw new IllegalArgumentException("the default image (" + repository + ") comes first in " + images);
            }
            Objects.requireNonNull(bake, "bake");
            Objects.requireNonNull(requires, "requires");
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(sourceTag, "sourceTag");
            generationTags = List.copyOf(generationTags);
            if (generationTags.isEmpty()) {
                throw new IllegalArgumentException("at least one generation tag");
            }
            approvers = List.copyOf(approvers);
            Objects.requireNonNull(expiresAfter, "expiresAfter");
            Objects.requireNonNull(compareUrl, "compareUrl");
            Objects.requireNonNull(commitTagPattern, "commitTagPattern");
            Objects.requireNonNull(rollback, "rollback");
        }

        /** The tag that names what production runs: the newest generation. */
        public String releaseTag() {
            return generationTags.get(0);
        }
    }

    /**
     * One repository a release promotes and the container it feeds.
     *
     * @param container empty for a single-image environment: the deploy settings' container, or the only one
     */
    public record ReleasedImage(String repository, Optional<String> container) {
        public ReleasedImage {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(container, "container");
        }
    }

    /**
     * After the deployment completes, the release bakes: it is done only when {@code duration} passed with none of
     * the alarms in ALARM, and rolls back on its own as soon as one enters ALARM.
     *
     * @param checkEvery how often the alarms are read with DescribeAlarms besides the events (start and end too)
     */
    public record Bake(Duration duration, List<String> alarms, Duration checkEvery) {
        public Bake {
            Objects.requireNonNull(duration, "duration");
            alarms = List.copyOf(alarms);
            Objects.requireNonNull(checkEvery, "checkEvery");
        }
    }

    /**
     * "Proven in staging": a candidate may be released only while {@code environment}'s service runs it, rollout
     * completed, for at least {@code forAtLeast}.
     */
    public record Requirement(String environment, Duration forAtLeast) {
        public Requirement {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(forAtLeast, "forAtLeast");
        }
    }

    /**
     * Rollbacks are for emergencies, yet still shared decisions by default.
     *
     * @param requiresApproval       false lets anyone who may command the environment roll back at once
     * @param approverMaySelfApprove an approver's own rollback needs no second person
     */
    public record RollbackPolicy(boolean requiresApproval, boolean approverMaySelfApprove) {
        public static final RollbackPolicy SAFE = new RollbackPolicy(true, false);
    }

    /**
     * How a digest is put into service.
     *
     * @param strategy          {@code ecs} (rolling update), {@code codedeploy} (blue/green) or {@code codebuild}
     * @param cluster           ECS cluster (ecs, codedeploy)
     * @param service           ECS service (ecs, codedeploy)
     * @param container         container in the task definition whose image is replaced; empty: the only one
     * @param containerPort     the port CodeDeploy's AppSpec routes to (codedeploy)
     * @param application       CodeDeploy application (codedeploy)
     * @param deploymentGroup   CodeDeploy deployment group (codedeploy)
     * @param project           production CodeBuild project (codebuild)
     * @param timeout           how long to follow a deployment before calling it failed
     * @param deploymentConfig  CodeDeploy deployment configuration (canary, linear…) passed to CreateDeployment
     * @param migration         a one-off task that must exit 0 before the deployment starts (ecs, codedeploy)
     */
    public record DeploySettings(Strategy strategy, String cluster, String service, Optional<String> container,
                                 int containerPort, String application, String deploymentGroup, String project,
                                 Duration timeout, Optional<String> deploymentConfig,
                                 Optional<MigrationSettings> migration) {
        /** Neither a CodeDeploy deployment configuration nor a migration task. */
        public DeploySettings(Strategy strategy, String cluster, String service, Optional<String> container,
                              int containerPort, String application, String deploymentGroup, String project,
                              Duration timeout) {
            this(strategy, cluster, service, container, containerPort, application, deploymentGroup, project, timeout,
                    Optional.empty());
        }

        /** Without a migration task, as most environments are. */
        public DeploySettings(Strategy strategy, String cluster, String service, Optional<String> container,
                              int containerPort, String application, String deploymentGroup, String project,
                              Duration timeout, Optional<String> deploymentConfig) {
            this(strategy, cluster, service, container, containerPort, application, deploymentGroup, project, timeout,
                    deploymentConfig, Optional.empty());
        }

        public DeploySettings {
            Objects.requireNonNull(deploymentConfig, "deploymentConfig");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(migration, "migration");
        }
    }

    /**
     * The task run once per release after the tags moved and before the deployment, e.g. database migrations.
     * It runs in the service's cluster with the service's network configuration and launch type, pinned to the
     * release's digests.
     *
     * @param taskDefinition family or ARN of the task definition to run; empty: the service's own
     * @param container      the container whose command is overridden and whose exit code decides
     * @param command        the command, as ECS takes it: one argument per element
     * @param timeout        how long the task may take from its start before the release fails
     */
    public record MigrationSettings(Optional<String> taskDefinition, String container, List<String> command,
                                    Duration timeout) {
        public MigrationSettings {
            Objects.requireNonNull(taskDefinition, "taskDefinition");
            Objects.requireNonNull(container, "container");
            command = List.copyOf(command);
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    public enum Strategy {
        ECS, CODEDEPLOY, CODEBUILD
    }
}
