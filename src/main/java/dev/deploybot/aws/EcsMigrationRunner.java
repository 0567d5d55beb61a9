package dev.deploybot.aws;

import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.MigrationSettings;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.MigrationRunner;
import dev.deploybot.deploy.MigrationTask;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTasksResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.LogDriver;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The migration task as an ECS one-off task: RunTask in the service's cluster with the service's network
 * configuration and launch type (or capacity providers), on a revision pinning the release's images, with the
 * container's command overridden. The task carries {@code startedBy} derived from the release id and RunTask a
 * client token from it, so a restart finds the task it started instead of starting another.
 */
@Singleton
public class EcsMigrationRunner implements MigrationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EcsMigrationRunner.class);
    private static final String SERVICE = EcsServices.SERVICE;

    private final Provider<EcsClient> ecs;
    private final Provider<CloudWatchLogsClient> logs;
    private final EcsServices services;
    private final PinnedTaskDefinition taskDefinitions;

    public EcsMigrationRunner(Provider<EcsClient> ecs, Provider<CloudWatchLogsClient> logs) {
        this.ecs = ecs;
        this.logs = logs;
        this.services = new EcsServices(ecs);
        this.taskDefinitions = new PinnedTaskDefinition(ecs);
    }

    /** What RunTask's {@code startedBy} allows: letters, digits, {@code - / _}, at most 128. */
    static String startedBy(String releaseId) {
        String marker = "deploybot-" + releaseId.replaceAll("[^A-Za-z0-9_-]", "_");
        return marker.length() <= 128 ? marker : marker.substring(0, 128);
    }

    @Override
    public Launch launch(DeploySettings service, MigrationSettings migration, ContainerImages images, String releaseId) {
        String marker = startedBy(releaseId);
        Optional<Task> earlier = startedBefore(service.cluster(), marker);
        if (earlier.isPresent()) {
            Task task = earlier.get();
            return new Launched(task(task, migration.container(), taskDefinitions.describe(task.taskDefinitionArn()).definition()));
        }
        Service running = services.describe(service.cluster(), service.service());
        PinnedTaskDefinition.Source source = taskDefinitions.describe(migration.taskDefinition().orElse(running.taskDefinition()));
        Map<String, String> pins = migration.taskDefinition().isPresent()
                ? pinsInOwnDefinition(source.definition(), migration, images)
                : PinnedTaskDefinition.pins(source.definition(), images, service.container());
        if (!pins.containsKey(migration.container())) {
            return new NotLaunched("container " + migration.container() + " of " + source.arn()
                    + " runs none of the release's images; name it after one of the released containers");
        }
        String revision = taskDefinitions.revisionRunning(source, pins);
        RunTaskResponse response;
        try {
            response = ecs.get().runTask(runTask(running, service, migration, revision, marker, releaseId));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        if (response.tasks().isEmpty()) {
            return new NotLaunched(response.failures().stream().map(EcsMigrationRunner::describe).findFirst()
                    .orElse("RunTask started no task and gave no reason"));
        }
        // The registered revision differs from its source only in images: the log configuration is the same.
        return new Launched(task(response.tasks().get(0), migration.container(), source.definition()));
    }

    /**
     * A task definition of its own (say, a migrate family) pins the released images of the containers it has; an
     * image that names no container (a single-image environment) is the migration container's.
     */
    private static Map<String, String> pinsInOwnDefinition(TaskDefinition definition, MigrationSettings migration,
                                                           ContainerImages images) {
        List<String> names = definition.containerDefinitions().stream().map(ContainerDefinition::name).toList();
        Map<String, String> pins = new LinkedHashMap<>();
        for (ContainerImages.Image image : images.images()) {
            String container = image.container().orElse(migration.container());
            if (names.contains(container)) {
                pins.put(container, image.uri());
            }
        }
        return pins;
    }

    private static RunTaskRequest runTask(Service running, DeploySettings service, MigrationSettings migration,
                                          String revision, String marker, String releaseId) {
        RunTaskRequest.Builder request = RunTaskRequest.builder()
                .cluster(service.cluster())
                .taskDefinition(revision)
                .count(1)
                .startedBy(marker)
                .clientToken(clientToken(releaseId))
                .networkConfiguration(running.networkConfiguration())
                .overrides(o -> o.containerOverrides(c -> c.name(migration.container()).command(migration.command())));
        // A service on capacity providers has no launch type; RunTask takes one or the other, never both.
        if (running.hasCapacityProviderStrategy() && !running.capacityProviderStrategy().isEmpty()) {
            request.capacityProviderStrategy(running.capacityProviderStrategy());
        } else if (running.launchType() != null) {
            request.launchType(running.launchTypeAsString());
        }
        if (running.platformVersion() != null) {
            request.platformVersion(running.platformVersion());
        }
        return request.build();
    }

    /** RunTask's idempotency token: at most 64 ASCII characters, the same for every attempt of one release. */
    static String clientToken(String releaseId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(("migration:" + releaseId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The newest task with this release's marker, running or stopped (ECS lists stopped tasks for about an hour). */
    private Optional<Task> startedBefore(String cluster, String marker) {
        try {
            for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
                List<String> arns = ecs.get().listTasks(r -> r.cluster(cluster).startedBy(marker).desiredStatus(status)).taskArns();
                if (!arns.isEmpty()) {
                    return describeTask(cluster, arns.get(arns.size() - 1));
                }
            }
            return Optional.empty();
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    private Optional<Task> describeTask(String cluster, String arn) {
        DescribeTasksResponse response;
        try {
            response = ecs.get().describeTasks(r -> r.cluster(cluster).tasks(arn));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        return response.tasks().stream().findFirst();
    }

    private MigrationTask task(Task task, String container, TaskDefinition definition) {
        return new MigrationTask(task.taskArn(), container, task.createdAt(), logStream(definition, container, task.taskArn()));
    }

    /** With the awslogs driver and a stream prefix, ECS names the stream {@code prefix/container/task-id}. */
    private Optional<MigrationTask.LogStream> logStream(TaskDefinition definition, String container, String taskArn) {
        return definition.containerDefinitions().stream()
                .filter(c -> c.name().equals(container) && c.logConfiguration() != null
                        && c.logConfiguration().logDriver() == LogDriver.AWSLOGS)
                .map(c -> c.logConfiguration().options())
                .filter(options -> options.containsKey("awslogs-group") && options.containsKey("awslogs-stream-prefix"))
                .findFirst()
                .map(options -> {
                    String region = options.getOrDefault("awslogs-region", region());
                    String group = options.get("awslogs-group");
                    String stream = options.get("awslogs-stream-prefix") + "/" + container + "/"
                            + taskArn.substring(taskArn.lastIndexOf('/') + 1);
                    return new MigrationTask.LogStream(group, stream, consoleLink(region, group, stream));
                });
    }

    private String region() {
        Region region = ecs.get().serviceClientConfiguration().region();
        return region == null ? "us-east-1" : region.id();
    }

    /** The CloudWatch console escapes twice and writes '%' as '$': "/ecs/api" becomes "$252Fecs$252Fapi". */
    static String consoleLink(String region, String group, String stream) {
        return "https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
                + "#logsV2:log-groups/log-group/" + consoleEscape(group) + "/log-events/" + consoleEscape(stream);
    }

    private static String consoleEscape(String text) {
        return URLEncoder.encode(URLEncoder.encode(text, StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .replace("%", "$");
    }

    @Override
    public TaskState look(DeploySettings service, MigrationTask task) {
        Optional<Task> found = describeTask(service.cluster(), task.id());
        if (found.isEmpty()) {
            return new Stopped(OptionalInt.empty(), false, "ECS no longer knows task " + task.id());
        }
        Task described = found.get();
        if (!"STOPPED".equals(described.lastStatus())) {
            return new Running(described.lastStatus());
        }
        Optional<Container> container = described.containers().stream()
                .filter(c -> c.name().equals(task.container())).findFirst();
        OptionalInt exitCode = container.map(Container::exitCode).map(OptionalInt::of).orElse(OptionalInt.empty());
        String reason = described.stoppedReason() == null ? "stopped" : described.stoppedReason();
        String containerReason = container.map(Container::reason).orElse(null);
        if (containerReason != null && !containerReason.isBlank() && !containerReason.equals(reason)) {
            reason = reason + ": " + containerReason;
        }
        return new Stopped(exitCode, described.stopCode() == TaskStopCode.TASK_FAILED_TO_START, reason);
    }

    @Override
    public List<String> logTail(MigrationTask task, int lines) {
        if (task.logs().isEmpty()) {
            return List.of();
        }
        MigrationTask.LogStream stream = task.logs().get();
        try {
            return logs.get().getLogEvents(r -> r.logGroupName(stream.group()).logStreamName(stream.stream())
                            .startFromHead(false).limit(lines))
                    .events().stream().map(OutputLogEvent::message).toList();
        } catch (SdkException e) {
            // The log excerpt is a courtesy in a failure message; the failure stands without it.
            LOG.warn("could not read the migration's log stream {}: {}", stream.stream(),
                    AwsFailures.translate("CloudWatchLogs", e).code());
            return List.of();
        }
    }

    @Override
    public void stop(DeploySettings service, MigrationTask task, String reason) {
        try {
            ecs.get().stopTask(r -> r.cluster(service.cluster()).task(task.id()).reason(reason));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    private static String describe(Failure failure) {
        return failure.detail() == null || failure.detail().isBlank() ? failure.reason()
                : failure.reason() + " (" + failure.detail() + ")";
    }
}
