package dev.deploybot.config;

import dev.deploybot.build.GitRef;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns the operator's YAML into validated {@link Environments}, refusing to start on any mistake. */
@Factory
public class EnvironmentCatalog {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Pattern CHANNEL = Pattern.compile("[CG][A-Z0-9]{2,20}");
    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,254}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:[._/-][a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern APPROVER = Pattern.compile("[UWS][A-Z0-9]{2,20}");
    private static final Pattern ALARM_NAME = Pattern.compile("[^\\p{Cntrl}]{1,255}");
    /** ECS container names: letters, digits, hyphens and underscores, up to 255. */
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Set<String> IMAGE_FIELDS = Set.of("repository", "container", "default");
    private static final Pattern AWS_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,1599}");

    @Context
    Environments environments(List<EnvironmentProperties> configured) {
        ConfigurationProblems problems = new ConfigurationProblems();
        if (configured.isEmpty()) {
            problems.add("deploybot.environments", "no environment is configured; add at least one (see README)");
        }
        List<Environment> environments = new ArrayList<>();
        for (EnvironmentProperties properties : configured) {
            String key = "deploybot.environments." + properties.getName();
            int known = problems.count();
            if (!NAME.matcher(properties.getName()).matches()) {
                problems.add(key, "environment names are lower-case letters, digits and '-', starting with a letter");
            }
            if (properties.getChannel() == null || !CHANNEL.matcher(properties.getChannel()).matches()) {
                problems.add(key + ".channel", "required: the Slack channel ID (like C0123ABCD) where messages go, not its name");
            }
            properties.getChannels().stream().filter(channel -> !CHANNEL.matcher(channel).matches()).forEach(channel ->
                    problems.add(key + ".channels", "'" + channel + "' is not a Slack channel ID (like C0123ABCD)"));
            Optional<Environment.BuildSettings> build = build(key + ".build", properties.getBuild(), problems);
            Optional<Environment.ReleaseSettings> release = release(key + ".release", properties.getRelease(),
                    properties.getRollback(), problems);
            // The default image's container is the one status, drift and proofs read when deploy.container is not set.
            Optional<String> defaultContainer = release.flatMap(settings -> settings.images().get(0).container());
            Optional<Environment.DeploySettings> deploy = deploy(key + ".deploy", properties.getDeploy(), defaultContainer, problems);
            if (release.isPresent() && deploy.isEmpty()) {
                problems.add(key + ".deploy", "required with release: how the released image is put into service");
            }
            if (release.isPresent() && deploy.isPresent()) {
                migrationRunsAReleasedImage(key, release.get(), deploy.get(), problems);
            }
            if (problems.count() == known) {
                environments.add(new Environment(properties.getName(), properties.getChannel(), properties.getChannels(),
                        build, release, deploy));
            }
        }
        requirementsNameReleasedEnvironments(environments, problems);
        problems.throwIfAny();
        return new Environments(environments);
    }

    private static Optional<Environment.BuildSettings> build(String key, EnvironmentProperties.BuildProperties build,
                                                             ConfigurationProblems problems) {
        if (build == null) {
            return Optional.empty();
        }
        int known = problems.count();
        if (build.getProject() == null || !PROJECT.matcher(build.getProject()).matches()) {
            problems.add(key + ".project", "required when build is set: the CodeBuild project name");
        }
        if (GitRef.problemWith(build.getDefaultRef()).isPresent()) {
            problems.add(key + ".default-ref", "'" + build.getDefaultRef() + "' is not a valid git ref");
        }
        return problems.count() > known ? Optional.empty()
                : Optional.of(new Environment.BuildSettings(build.getProject(), build.getDefaultRef()));
    }

    private static Optional<Environment.ReleaseSettings> release(String key, EnvironmentProperties.ReleaseProperties release,
                                                                 EnvironmentProperties.RollbackProperties rollback,
                                                                 ConfigurationProblems problems) {
        if (release == null) {
            return Optional.empty();
        }
        int known = problems.count();
        List<Environment.ReleasedImage> images = images(key, release, problems);
        if (release.getSourceTag() == null || !TAG.matcher(release.getSourceTag()).matches()) {
            problems.add(key + ".source-tag", "must be an image tag (default latest)");
        }
        if (release.getTags().isEmpty()) {
            problems.add(key + ".tags", "needs at least one tag, newest generation first (default [release, release-1gen, release-2gen])");
        }
        release.getTags().stream().filter(tag -> !TAG.matcher(tag).matches()).forEach(tag ->
                problems.add(key + ".tags", "'" + tag + "' is not a valid image tag"));
        if (new HashSet<>(release.getTags()).size() != release.getTags().size() || release.getTags().contains(release.getSourceTag())) {
            problems.add(key + ".tags", "must be distinct and must not include the source tag");
        }
        if (release.getApprovers().isEmpty()) {
            problems.add(key + ".approvers", "required: Slack user IDs (U…) or user group IDs (S…) who may approve");
        }
        release.getApprovers().stream().filter(approver -> !APPROVER.matcher(approver).matches()).forEach(approver ->
                problems.add(key + ".approvers", "'" + approver + "' is not a Slack user ID (U…/W…) or user group ID (S…)"));
        if (release.getRequiredApprovals() < 1) {
            problems.add(key + ".required-approvals", "must be at least 1");
        }
        if (release.getExpiresAfter() == null || release.getExpiresAfter().compareTo(Duration.ofMinutes(1)) < 0) {
            problems.add(key + ".expires-after", "must be at least 1m");
        }
        if (release.getCompareUrl() != null && !release.getCompareUrl().startsWith("https://")) {
            problems.add(key + ".compare-url", "must be an https URL with {from} and {to}");
        }
        if (!List.of("restore-tags", "keep-tags").contains(String.valueOf(release.getOnFailure()))) {
            problems.add(key + ".on-failure", "must be restore-tags or keep-tags");
        }
        try {
            Pattern.compile(release.getCommitTagPattern());
        } catch (PatternSyntaxException | NullPointerException e) {
            problems.add(key + ".commit-tag-pattern", "is not a regular expression");
        }
        return problems.count() > known ? Optional.empty() : Optional.of(new Environment.ReleaseSettings(
                images.get(0).repository(), release.getSourceTag(), release.getTags(), release.getApprovers(),
                release.getRequiredApprovals(), release.isAllowSelfApproval(), release.getExpiresAfter(),
                Optional.ofNullable(release.getCompareUrl()), release.getCommitTagPattern(),
                rollback == null ? Environment.RollbackPolicy.SAFE
                        : new Environment.RollbackPolicy(rollback.isRequiresApproval(), rollback.isApproverMaySelfApprove()),
                "restore-tags".equals(release.getOnFailure()), bake(key + ".bake", release.getBake(), problems),
                requirement(key, release, problems), images));
    }

    /**
     * {@code release.repository} alone (one image), or {@code release.images}: each a repository and the container
     * it feeds, one of them {@code default: true} (else the first). The default comes first.
     */
    private static List<Environment.ReleasedImage> images(String key, EnvironmentProperties.ReleaseProperties release,
                                                          ConfigurationProblems problems) {
        if (release.getImages().isEmpty()) {
            if (release.getRepository() == null || !REPOSITORY.matcher(release.getRepository()).matches()) {
                problems.add(key + ".repository", "required: the ECR repository name (like team/app), not its URI;"
                        + " or list several under release.images");
                return List.of();
            }
            return List.of(new Environment.ReleasedImage(release.getRepository(), Optional.empty()));
        }
        if (release.getRepository() != null) {
            problems.add(key + ".repository", "set either release.repository (one image) or release.images, not both");
        }
        List<Environment.ReleasedImage> images = new ArrayList<>();
        Set<String> repositories = new HashSet<>();
        Set<String> containers = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < release.getImages().size(); i++) {
            Map<String, Object> image = release.getImages().get(i);
            String at = key + ".images[" + i + "]";
            for (String field : image.keySet()) {
                if (!IMAGE_FIELDS.contains(field)) {
                    problems.add(at + "." + field, "unknown; an image has repository, container and default");
                }
            }
            String repository = text(image.get("repository"));
            String container = text(image.get("container"));
            String isDefault = String.valueOf(image.getOrDefault("default", "false")).trim();
            if (repository == null || !REPOSITORY.matcher(repository).matches()) {
                problems.add(at + ".repository", "required: the ECR repository name (like team/app-nginx), not its URI");
            } else if (!repositories.add(repository)) {
                problems.add(at + ".repository", "'" + repository + "' is listed twice; each repository is released once");
            }
            if (container == null || !CONTAINER.matcher(container).matches()) {
                problems.add(at + ".container", "required: the container in the task definition this image feeds");
            } else if (!containers.add(container)) {
                problems.add(at + ".container", "'" + container + "' is listed twice; a container runs one image");
            }
            if (!isDefault.equalsIgnoreCase("true") && !isDefault.equalsIgnoreCase("false")) {
                problems.add(at + ".default", "must be true or false");
            }
            if (repository != null && container != null) {
                Environment.ReleasedImage released = new Environment.ReleasedImage(repository, Optional.of(container));
                if (isDefault.equalsIgnoreCase("true")) {
                    defaults++;
                    images.add(0, released);
                } else {
                    images.add(released);
                }
            }
        }
        if (defaults > 1) {
            problems.add(key + ".images", "only one image may be the default (the one the release is named by)");
        }
        return images;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value).trim();
    }

    private static Optional<Environment.MigrationSettings> migration(String key, Environment.Strategy strategy,
                                                                     EnvironmentProperties.DeployProperties.MigrationProperties migration,
                                                                     ConfigurationProblems problems) {
        if (migration == null) {
            return Optional.empty();
        }
        int known = problems.count();
        if (strategy == Environment.Strategy.CODEBUILD) {
            problems.add(key, "only for strategy ecs or codedeploy: the task runs next to the ECS service;"
                    + " a codebuild project runs its own migrations");
        }
        if (migration.getTaskDefinition() != null && !AWS_NAME.matcher(migration.getTaskDefinition()).matches()) {
            problems.add(key + ".task-definition", "must be a task definition family or ARN; leave it out to use the service's own");
        }
        if (migration.getContainer() == null || !CONTAINER.matcher(migration.getContainer()).matches()) {
            problems.add(key + ".container", "required with migration: the container whose command runs and whose exit code decides");
        }
        if (migration.getCommand().isEmpty() || migration.getCommand().stream().anyMatch(part -> part == null || part.isBlank())) {
            problems.add(key + ".command", "required with migration: the command as a list, like [bin/migrate, up]");
        }
        if (migration.getTimeout() == null || migration.getTimeout().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(key + ".timeout", "must be a duration like 15m (default 15m)");
        }
        return problems.count() > known ? Optional.empty() : Optional.of(new Environment.MigrationSettings(
                Optional.ofNullable(migration.getTaskDefinition()), migration.getContainer(), migration.getCommand(),
                migration.getTimeout()));
    }

    /** A migration on the service's own task definition must run one of the released images, or it runs the old code. */
    private static void migrationRunsAReleasedImage(String key, Environment.ReleaseSettings release,
                                                    Environment.DeploySettings deploy, ConfigurationProblems problems) {
        deploy.migration().filter(migration -> migration.taskDefinition().isEmpty()).ifPresent(migration -> {
            List<String> released = release.images().stream()
                    .map(image -> image.container().or(deploy::container))
                    .flatMap(Optional::stream).toList();
            boolean someContainerUnknown = released.size() < release.images().size();
            if (!someContainerUnknown && !released.contains(migration.container())) {
                problems.add(key + ".deploy.migration.container", "'" + migration.container() + "' gets none of the"
                        + " released images; name one of " + released + " or set deploy.migration.task-definition");
            }
        });
    }

    private static Optional<Environment.Bake> bake(String key, EnvironmentProperties.ReleaseProperties.BakeProperties bake,
                                                   ConfigurationProblems problems) {
        if (bake == null) {
            return Optional.empty();
        }
        int known = problems.count();
        if (bake.getDuration() == null || bake.getDuration().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(key + ".duration", "required with bake: how long to watch the alarms after the deployment, like 10m");
        }
        if (bake.getAlarms().isEmpty()) {
            problems.add(key + ".alarms", "required with bake: the CloudWatch alarm names to watch");
        }
        bake.getAlarms().stream().filter(alarm -> !ALARM_NAME.matcher(alarm).matches()).forEach(alarm ->
                problems.add(key + ".alarms", "'" + alarm + "' is not a CloudWatch alarm name"));
        if (bake.getCheckInterval() == null || bake.getCheckInterval().compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(key + ".check-interval", "must be at least 1s (default 1m)");
        }
        return problems.count() > known ? Optional.empty()
                : Optional.of(new Environment.Bake(bake.getDuration(), bake.getAlarms(), bake.getCheckInterval()));
    }

    private static Optional<Environment.Requirement> requirement(String key, EnvironmentProperties.ReleaseProperties release,
                                                                 ConfigurationProblems problems) {
        if (release.getRequiresFor() == null || release.getRequiresFor().isNegative()) {
            problems.add(key + ".requires-for", "must be a duration like 30m (default 0: running it is enough)");
            return Optional.empty();
        }
        if (release.getRequires() == null) {
            if (!release.getRequiresFor().isZero()) {
                problems.add(key + ".requires-for", "needs release.requires: the environment that must run the candidate");
            }
            return Optional.empty();
        }
        return Optional.of(new Environment.Requirement(release.getRequires(), release.getRequiresFor()));
    }

    /** "Proven in staging" reads the named environment's ECS service, so it must exist and have one. */
    private static void requirementsNameReleasedEnvironments(List<Environment> environments, ConfigurationProblems problems) {
        for (Environment environment : environments) {
            environment.release().flatMap(Environment.ReleaseSettings::requires).ifPresent(requirement -> {
                String key = "deploybot.environments." + environment.name() + ".release.requires";
                Optional<Environment> proving = environments.stream()
                        .filter(e -> e.name().equals(requirement.environment())).findFirst();
                if (requirement.environment().equals(environment.name())) {
                    problems.add(key, "names the environment itself; name the one that must run the candidate first, like stg");
                } else if (proving.isEmpty()) {
                    problems.add(key, "'" + requirement.environment() + "' is not a configured environment");
                } else if (proving.get().deploy().map(d -> d.strategy() == Environment.Strategy.CODEBUILD).orElse(true)) {
                    problems.add(key, "'" + requirement.environment() + "' needs deploy.cluster and deploy.service (strategy ecs"
                            + " or codedeploy): that service is what must run the candidate");
                }
            });
        }
    }

    private static Optional<Environment.DeploySettings> deploy(String key, EnvironmentProperties.DeployProperties deploy,
                                                               Optional<String> defaultContainer, ConfigurationProblems problems) {
        if (deploy == null) {
            return Optional.empty();
        }
        int known = problems.count();
        Environment.Strategy strategy;
        try {
            strategy = Environment.Strategy.valueOf(String.valueOf(deploy.getStrategy()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(key + ".strategy", "must be ecs, codedeploy or codebuild");
            return Optional.empty();
        }
        if (strategy != Environment.Strategy.CODEBUILD) {
            require(key + ".cluster", deploy.getCluster(), "the ECS cluster name", problems);
            require(key + ".service", deploy.getService(), "the ECS service name", problems);
        }
        if (strategy == Environment.Strategy.CODEDEPLOY) {
            require(key + ".application", deploy.getApplication(), "the CodeDeploy application", problems);
            require(key + ".deployment-group", deploy.getDeploymentGroup(), "the CodeDeploy deployment group", problems);
            require(key + ".container", deploy.getContainer(), "the container the load balancer routes to", problems);
            if (deploy.getContainerPort() < 1 || deploy.getContainerPort() > 65535) {
                problems.add(key + ".container-port", "required for codedeploy: the container port the load balancer routes to");
            }
        }
        if (strategy == Environment.Strategy.CODEBUILD && (deploy.getProject() == null || !PROJECT.matcher(deploy.getProject()).matches())) {
            problems.add(key + ".project", "required for codebuild: the production CodeBuild project that deploys");
        }
        if (deploy.getTimeout() == null || deploy.getTimeout().isNegative() || deploy.getTimeout().isZero()) {
            problems.add(key + ".timeout", "must be a positive duration like 30m");
        }
        if (deploy.getDeploymentConfig() != null && (strategy != Environment.Strategy.CODEDEPLOY
                || !AWS_NAME.matcher(deploy.getDeploymentConfig()).matches())) {
            problems.add(key + ".deployment-config", "only for codedeploy: a deployment configuration name like"
                    + " CodeDeployDefault.ECSCanary10Percent5Minutes");
        }
        Optional<Environment.MigrationSettings> migration = migration(key + ".migration", strategy, deploy.getMigration(), problems);
        return problems.count() > known ? Optional.empty() : Optional.of(new Environment.DeploySettings(strategy,
                deploy.getCluster(), deploy.getService(), Optional.ofNullable(deploy.getContainer()).or(() -> defaultContainer),
                deploy.getContainerPort(), deploy.getApplication(), deploy.getDeploymentGroup(), deploy.getProject(),
                deploy.getTimeout(), Optional.ofNullable(deploy.getDeploymentConfig()), migration));
    }

    private static void require(String key, String value, String what, ConfigurationProblems problems) {
        if (value == null || !AWS_NAME.matcher(value).matches()) {
            problems.add(key, "required for this strategy: " + what);
        }
    }
}
