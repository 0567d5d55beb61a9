package dev.deploybot.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.MigrationSettings;
import dev.deploybot.core.Environment.Strategy;
import dev.deploybot.core.ImageRef;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.MigrationOutcome;
import dev.deploybot.deploy.MigrationTask;
import dev.deploybot.deploy.RunMigration;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcs;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The migration task through the SDK clients production uses, against the fake ECS and CloudWatch Logs. */
class EcsMigrationRunnerTest {

    private static final String CLUSTER = "prod";
    private static final String REGISTRY = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/";
    private static final String FLUENT_BIT = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";
    private static final ImageRef APP = new ImageRef(REGISTRY + "api", "sha256:" + "a".repeat(64));
    private static final ImageRef NGINX = new ImageRef(REGISTRY + "api-nginx", "sha256:" + "b".repeat(64));
    private static final ContainerImages IMAGES = new ContainerImages(List.of(
            new ContainerImages.Image(Optional.of("app"), APP, APP.repository() + "@" + APP.digest()),
            new ContainerImages.Image(Optional.of("nginx"), NGINX, NGINX.repository() + "@" + NGINX.digest())));
    private static final DeploySettings SERVICE = new DeploySettings(Strategy.ECS, CLUSTER, "api", Optional.of("app"),
            0, null, null, null, Duration.ofMinutes(30));
    private static final MigrationSettings MIGRATION = new MigrationSettings(Optional.empty(), "app",
            List.of("bin/migrate", "up"), Duration.ofMinutes(10));
    private static final Duration POLL = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SteppedClock clock = new SteppedClock();
    /** What happens at ECS while the use case waits, one step per wait. */
    private final List<Consumer<String>> whileWaiting = new ArrayList<>();
    private final List<MigrationTask> launched = new ArrayList<>();
    private FakeAws fake;
    private EcsClient ecs;
    private CloudWatchLogsClient logs;
    private RunMigration migration;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.setClock(clock);
        fake.ecs().createService(CLUSTER, "api", TaskDefinitionSpec.of("api").with("containerDefinitions", JSON.valueToTree(List.of(
                Map.of("name", "app", "image", REGISTRY + "api:release", "essential", true,
                        "logConfiguration", Map.of("logDriver", "awslogs", "options", Map.of(
                                "awslogs-group", "/ecs/api", "awslogs-region", "eu-west-1", "awslogs-stream-prefix", "ecs"))),
                Map.of("name", "nginx", "image", REGISTRY + "api-nginx:release", "essential", true),
                Map.of("name", "log-router", "image", FLUENT_BIT, "essential", false)))));
        ecs = fake.client(EcsClient.builder());
        logs = fake.client(CloudWatchLogsClient.builder());
        migration = new RunMigration(new EcsMigrationRunner(() -> ecs, () -> logs), clock, duration -> {
            clock.advance(duration);
            if (!whileWaiting.isEmpty()) {
                whileWaiting.remove(0).accept(onlyTask().get("taskArn").asText());
            }
        });
    }

    @AfterEach
    void stop() {
        ecs.close();
        logs.close();
        fake.close();
    }

    @Test
    void runsOncePinnedToTheReleaseWithTheServicesNetworkAndDeploysOnExitZero() {
        whileWaiting.add(task -> fake.ecs().startTask(task));
        whileWaiting.add(task -> fake.ecs().exitTask(task, 0));

        MigrationOutcome outcome = run();

        assertThat(outcome).isInstanceOf(MigrationOutcome.Succeeded.class);
        JsonNode runTask = single(fake.calls(FakeEcs.TARGET_PREFIX + ".RunTask")).request();
        String revision2 = FakeEcs.taskDefinitionArn("api", 2);
        assertThat(runTask.get("taskDefinition").asText()).isEqualTo(revision2);
        assertThat(runTask.get("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(runTask.get("launchType").asText()).isEqualTo("FARGATE");
        assertThat(runTask.at("/networkConfiguration/awsvpcConfiguration/subnets/0").asText()).isEqualTo("subnet-0a1b2c3d4e5f60718");
        assertThat(runTask.at("/networkConfiguration/awsvpcConfiguration/securityGroups/0").asText()).isEqualTo("sg-0123456789abcdef0");
        assertThat(runTask.get("startedBy").asText()).isEqualTo("deploybot-r-1");
        assertThat(runTask.at("/overrides/containerOverrides/0/name").asText()).isEqualTo("app");
        assertThat(runTask.at("/overrides/containerOverrides/0/command")).extracting(JsonNode::asText)
                .containsExactly("bin/migrate", "up");
        JsonNode pinned = fake.ecs().taskDefinition(revision2).orElseThrow();
        assertThat(pinned.get("containerDefinitions")).extracting(c -> c.get("image").asText())
                .containsExactly(APP.repository() + "@" + APP.digest(), NGINX.repository() + "@" + NGINX.digest(), FLUENT_BIT);
        String taskId = onlyTask().get("taskArn").asText().substring(onlyTask().get("taskArn").asText().lastIndexOf('/') + 1);
        assertThat(launched).singleElement().satisfies(task -> assertThat(task.logs()).hasValueSatisfying(stream -> {
            assertThat(stream.group()).isEqualTo("/ecs/api");
            assertThat(stream.stream()).isEqualTo("ecs/app/" + taskId);
            assertThat(stream.link()).isEqualTo("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1"
                    + "#logsV2:log-groups/log-group/$252Fecs$252Fapi/log-events/ecs$252Fapp$252F" + taskId);
        }));
    }

    @Test
    void aNonZeroExitFailsWithTheExitCodeReasonAndLastLogLines() {
        whileWaiting.add(task -> {
            fake.logs().append("/ecs/api", "ecs/app/" + task.substring(task.lastIndexOf('/') + 1),
                    "Applying 0042_add_index...", "ERROR: relation \"orders\" does not exist");
            fake.ecs().exitTask(task, 1);
        });

        MigrationOutcome outcome = run();

        assertThat(outcome).isInstanceOfSatisfying(MigrationOutcome.Failed.class, failed -> {
            assertThat(failed.exitCode()).isEqualTo(OptionalInt.of(1));
            assertThat(failed.reason()).isEqualTo("Essential container in task exited");
            assertThat(failed.logTail()).containsExactly("Applying 0042_add_index...", "ERROR: relation \"orders\" does not exist");
        });
    }

    @Test
    void aTaskThatCannotBePlacedFailsWithEcsReasonAndNothingRan() {
        fake.ecs().failNextPlacement("RESOURCE:MEMORY");

        MigrationOutcome outcome = run();

        assertThat(outcome).isEqualTo(new MigrationOutcome.NotStarted("RESOURCE:MEMORY"));
        assertThat(fake.ecs().tasks()).isEmpty();
        assertThat(launched).isEmpty();
    }

    @Test
    void aTaskThatFailsToStartHasNoExitCodeButEcsReason() {
        whileWaiting.add(task -> fake.ecs().failTaskToStart(task, "CannotPullContainerError: access denied"));

        MigrationOutcome outcome = run();

        assertThat(outcome).isInstanceOfSatisfying(MigrationOutcome.Failed.class, failed -> {
            assertThat(failed.exitCode()).isEmpty();
            assertThat(failed.reason()).isEqualTo("CannotPullContainerError: access denied");
        });
        assertThat(fake.calls("Logs_20140328.GetLogEvents")).isEmpty();
    }

    @Test
    void aRestartWhileTheTaskRunsWaitsForItInsteadOfStartingAnother() {
        RunMigration interrupted = new RunMigration(new EcsMigrationRunner(() -> ecs, () -> logs), clock, duration -> {
            throw new InterruptedException("shutting down");
        });
        MigrationOutcome beforeCrash = interrupted.run(SERVICE, MIGRATION, IMAGES, "r-1", POLL, () -> true, launched::add);
        Thread.interrupted();
        whileWaiting.add(task -> fake.ecs().exitTask(task, 0));

        MigrationOutcome afterRestart = run();

        assertThat(beforeCrash).isInstanceOf(MigrationOutcome.Unfinished.class);
        assertThat(afterRestart).isInstanceOf(MigrationOutcome.Succeeded.class);
        assertThat(fake.calls(FakeEcs.TARGET_PREFIX + ".RunTask")).hasSize(1);
        assertThat(fake.ecs().registeredTaskDefinitions()).hasSize(1);
        assertThat(launched).extracting(MigrationTask::id).containsOnly(onlyTask().get("taskArn").asText()).hasSize(2);
    }

    @Test
    void aTaskStillRunningAtItsTimeoutIsStoppedAndTheReleaseFails() {
        for (int i = 0; i < 100; i++) {
            whileWaiting.add(task -> { });
        }

        MigrationOutcome outcome = run();

        assertThat(outcome).isInstanceOfSatisfying(MigrationOutcome.TimedOut.class,
                timedOut -> assertThat(timedOut.after()).isEqualTo(Duration.ofMinutes(10)));
        assertThat(onlyTask().get("stopCode").asText()).isEqualTo("UserInitiated");
        assertThat(onlyTask().get("stoppedReason").asText()).contains("timed out after 10m");
    }

    @Test
    void aTaskDefinitionOfItsOwnRunsWithTheReleasedImageOfItsContainer() {
        fake.ecs().createService(CLUSTER, "unused", TaskDefinitionSpec.of("api-migrate",
                TaskDefinitionSpec.container("app", REGISTRY + "api:release", 0)));
        MigrationSettings own = new MigrationSettings(Optional.of("api-migrate"), "app", List.of("migrate"),
                Duration.ofMinutes(10));
        whileWaiting.add(task -> fake.ecs().exitTask(task, 0));

        MigrationOutcome outcome = migration.run(SERVICE, own, IMAGES, "r-1", POLL, () -> true, launched::add);

        assertThat(outcome).isInstanceOf(MigrationOutcome.Succeeded.class);
        JsonNode registered = single(fake.ecs().registeredTaskDefinitions());
        assertThat(registered.get("family").asText()).isEqualTo("api-migrate");
        assertThat(registered.at("/containerDefinitions/0/image").asText()).isEqualTo(APP.repository() + "@" + APP.digest());
        assertThat(onlyTask().get("taskDefinitionArn").asText()).isEqualTo(FakeEcs.taskDefinitionArn("api-migrate", 2));
        assertThat(launched).singleElement().satisfies(task -> assertThat(task.logs()).isEmpty());
    }

    private MigrationOutcome run() {
        return migration.run(SERVICE, MIGRATION, IMAGES, "r-1", POLL, () -> true, launched::add);
    }

    private JsonNode onlyTask() {
        List<JsonNode> tasks = fake.ecs().tasks();
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    /** One clock for the fake's timestamps and the use case's deadline, moved only by the waits. */
    private static final class SteppedClock extends Clock {
        private volatile Instant now = Instant.parse("2026-03-02T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
