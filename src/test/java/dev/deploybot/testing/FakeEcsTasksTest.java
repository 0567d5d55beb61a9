package dev.deploybot.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

import java.util.function.Consumer;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static dev.deploybot.testing.TaskDefinitionSpec.sidecar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RunTask, DescribeTasks, ListTasks and StopTask of the fake ECS, reached through the SDK's client. */
class FakeEcsTasksTest {

    private static final String CLUSTER = "prod";

    private FakeAws fake;
    private EcsClient ecs;
    private String revision1;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        revision1 = fake.ecs().createService(CLUSTER, "api", TaskDefinitionSpec.of("api",
                container("app", "111111111111.dkr.ecr.eu-west-1.amazonaws.com/api:old", 8080),
                sidecar("log-router", "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable")), "ECS");
        ecs = fake.client(EcsClient.builder());
    }

    @AfterEach
    void stop() {
        ecs.close();
        fake.close();
    }

    @Test
    void runTaskStartsAProvisioningTaskWithTheOverridesAndMarker() {
        RunTaskResponse response = ecs.runTask(migration("release-r1"));

        assertThat(response.failures()).isEmpty();
        Task task = response.tasks().get(0);
        assertThat(task.taskArn()).matches("arn:aws:ecs:eu-west-1:123456789012:task/prod/[0-9a-f]{32}");
        assertThat(task.taskDefinitionArn()).isEqualTo(revision1);
        assertThat(task.lastStatus()).isEqualTo("PROVISIONING");
        assertThat(task.desiredStatus()).isEqualTo("RUNNING");
        assertThat(task.startedBy()).isEqualTo("release-r1");
        assertThat(task.launchType()).isEqualTo(LaunchType.FARGATE);
        assertThat(task.group()).isEqualTo("family:api");
        assertThat(task.containers()).extracting(Container::name).containsExactly("app", "log-router");
        assertThat(task.containers()).allSatisfy(c -> assertThat(c.exitCode()).isNull());
        assertThat(task.overrides().containerOverrides()).singleElement()
                .satisfies(o -> assertThat(o.command()).containsExactly("bin/migrate", "up"));
        assertThat(task.createdAt()).isNotNull();
    }

    @Test
    void anEssentialContainerExitingStopsTheTaskWithItsExitCode() {
        String arn = ecs.runTask(migration("release-r1")).tasks().get(0).taskArn();

        fake.ecs().startTask(arn);
        Task running = describe(arn);
        fake.ecs().exitTask(arn, 3);
        Task stopped = describe(arn);

        assertThat(running.lastStatus()).isEqualTo("RUNNING");
        assertThat(running.startedAt()).isNotNull();
        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.desiredStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.ESSENTIAL_CONTAINER_EXITED);
        assertThat(stopped.stoppedReason()).isEqualTo("Essential container in task exited");
        assertThat(stopped.stoppedAt()).isNotNull();
        assertThat(stopped.containers()).filteredOn(c -> c.name().equals("app")).singleElement()
                .satisfies(c -> assertThat(c.exitCode()).isEqualTo(3));
    }

    @Test
    void aTaskThatFailsToStartHasTheReasonAndNoExitCode() {
        String arn = ecs.runTask(migration("release-r1")).tasks().get(0).taskArn();
        String reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s)";

        fake.ecs().failTaskToStart(arn, reason);
        Task stopped = describe(arn);

        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.TASK_FAILED_TO_START);
        assertThat(stopped.stoppedReason()).isEqualTo(reason);
        assertThat(stopped.containers()).allSatisfy(c -> {
            assertThat(c.exitCode()).isNull();
            assertThat(c.reason()).isEqualTo(reason);
        });
    }

    @Test
    void aTaskThatCannotBePlacedIsAFailureEntryNotAnError() {
        fake.ecs().failNextPlacement("RESOURCE:MEMORY");

        RunTaskResponse response = ecs.runTask(migration("release-r1"));

        assertThat(response.tasks()).isEmpty();
        assertThat(response.failures()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("RESOURCE:MEMORY"));
        assertThat(fake.ecs().tasks()).isEmpty();
    }

    @Test
    void theSameClientTokenStartsNoSecondTask() {
        RunTaskResponse first = ecs.runTask(migration("release-r1").toBuilder().clientToken("release-r1").build());
        RunTaskResponse again = ecs.runTask(migration("release-r1").toBuilder().clientToken("release-r1").build());

        assertThat(again.tasks()).extracting(Task::taskArn).containsExactly(first.tasks().get(0).taskArn());
        assertThat(fake.ecs().tasks()).hasSize(1);
    }

    @Test
    void listTasksFindsRunningTasksByStartedByAndStoppedOnesOnlyWhenAsked() {
        String arn = ecs.runTask(migration("release-r1")).tasks().get(0).taskArn();
        ecs.runTask(migration("release-r2"));

        assertThat(ecs.listTasks(r -> r.cluster(CLUSTER).startedBy("release-r1")).taskArns()).containsExactly(arn);
        fake.ecs().exitTask(arn, 0);
        assertThat(ecs.listTasks(r -> r.cluster(CLUSTER).startedBy("release-r1")).taskArns()).isEmpty();
        assertThat(ecs.listTasks(r -> r.cluster(CLUSTER).startedBy("release-r1").desiredStatus(DesiredStatus.STOPPED))
                .taskArns()).containsExactly(arn);
    }

    @Test
    void stopTaskStopsItAsTheUserDid() {
        String arn = ecs.runTask(migration("release-r1")).tasks().get(0).taskArn();

        Task stopped = ecs.stopTask(r -> r.cluster(CLUSTER).task(arn).reason("deploybot: timed out")).task();

        assertThat(stopped.lastStatus()).isEqualTo("STOPPED");
        assertThat(stopped.stopCode()).isEqualTo(TaskStopCode.USER_INITIATED);
        assertThat(stopped.stoppedReason()).isEqualTo("deploybot: timed out");
    }

    @Test
    void describeTasksReportsUnknownTasksAsMissing() {
        String unknown = "arn:aws:ecs:eu-west-1:123456789012:task/prod/" + "0".repeat(32);

        var response = ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(unknown));

        assertThat(response.tasks()).isEmpty();
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo(unknown);
            assertThat(f.reason()).isEqualTo("MISSING");
        });
    }

    @Test
    void badRunTaskRequestsGetEcsErrors() {
        assertThatThrownBy(() -> ecs.runTask(migration("release-r1").toBuilder().networkConfiguration((
                software.amazon.awssdk.services.ecs.model.NetworkConfiguration) null).build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("Network Configuration must be provided");
        assertThatThrownBy(() -> ecs.runTask(migration("release-r1").toBuilder().taskDefinition("nope:1").build()))
                .isInstanceOf(ClientException.class);
        assertThatThrownBy(() -> ecs.runTask(migration("release-r1").toBuilder().cluster("staging").build()))
                .isInstanceOf(ClusterNotFoundException.class);
        assertThatThrownBy(() -> ecs.runTask(migration("release r1")))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> ecs.runTask(migration("release-r1").toBuilder()
                .overrides(o -> o.containerOverrides(c -> c.name("migrate").command("x"))).build()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("migrate");
    }

    private RunTaskRequest migration(String startedBy) {
        Consumer<RunTaskRequest.Builder> request = r -> r.cluster(CLUSTER).taskDefinition(revision1)
                .launchType(LaunchType.FARGATE).startedBy(startedBy)
                .networkConfiguration(n -> n.awsvpcConfiguration(a -> a.subnets("subnet-0a1b2c3d4e5f60718")
                        .securityGroups("sg-0123456789abcdef0").assignPublicIp(AssignPublicIp.DISABLED)))
                .overrides(o -> o.containerOverrides(c -> c.name("app").command("bin/migrate", "up")));
        RunTaskRequest.Builder builder = RunTaskRequest.builder();
        request.accept(builder);
        return builder.build();
    }

    private Task describe(String arn) {
        return ecs.describeTasks(r -> r.cluster(CLUSTER).tasks(arn)).tasks().get(0);
    }
}
