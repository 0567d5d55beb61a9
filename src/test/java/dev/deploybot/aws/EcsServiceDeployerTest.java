package dev.deploybot.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.Strategy;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.ImageRef;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.core.Progress;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcs;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static dev.deploybot.testing.TaskDefinitionSpec.sidecar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcsServiceDeployerTest {

    private static final String CLUSTER = "prod";
    private static final String SERVICE = "api";
    private static final String REPOSITORY = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/api";
    private static final String FLUENT_BIT = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";
    private static final ImageRef IMAGE = new ImageRef(REPOSITORY, "sha256:" + "a".repeat(64));
    private static final String IMAGE_URI = REPOSITORY + "@" + IMAGE.digest();
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeAws fake;
    private EcsClient ecs;
    private EcsServiceDeployer deployer;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.ecs().createService(CLUSTER, SERVICE, TaskDefinitionSpec.of("api",
                        container("app", REPOSITORY + ":release", 8080),
                        sidecar("log-router", FLUENT_BIT))
                .withTags(Map.of("team", "payments", "aws:cloudformation:stack-name", "api-stack"))
                .with("taskRoleArn", JSON.valueToTree("arn:aws:iam::123456789012:role/api-task"))
                .with("volumes", JSON.valueToTree(List.of(Map.of("name", "tmp"))))
                .with("runtimePlatform", JSON.valueToTree(Map.of("cpuArchitecture", "ARM64",
                        "operatingSystemFamily", "LINUX")))
                .with("ephemeralStorage", JSON.valueToTree(Map.of("sizeInGiB", 30))));
        ecs = fake.client(EcsClient.builder());
        deployer = new EcsServiceDeployer(() -> ecs);
    }

    @AfterEach
    void stop() {
        ecs.close();
        fake.close();
    }

    @Test
    void registersACopyPinnedToTheDigestAndPointsTheServiceAtIt() {
        DeploymentHandle handle = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");

        JsonNode registered = single(fake.ecs().registeredTaskDefinitions());
        assertThat(registered.get("family").asText()).isEqualTo("api");
        assertThat(registered.get("containerDefinitions")).hasSize(2);
        assertThat(containerIn(registered, "app").get("image").asText()).isEqualTo(IMAGE_URI);
        assertThat(containerIn(registered, "app").at("/portMappings/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(containerIn(registered, "log-router").get("image").asText()).isEqualTo(FLUENT_BIT);
        assertThat(containerIn(registered, "log-router").get("essential").asBoolean()).isFalse();
        assertThat(registered.get("cpu").asText()).isEqualTo("256");
        assertThat(registered.get("memory").asText()).isEqualTo("512");
        assertThat(registered.get("networkMode").asText()).isEqualTo("awsvpc");
        assertThat(registered.get("requiresCompatibilities")).extracting(JsonNode::asText).containsExactly("FARGATE");
        assertThat(registered.get("executionRoleArn").asText()).endsWith(":role/api-execution");
        assertThat(registered.get("taskRoleArn").asText()).endsWith(":role/api-task");
        assertThat(registered.at("/volumes/0/name").asText()).isEqualTo("tmp");
        assertThat(registered.at("/runtimePlatform/cpuArchitecture").asText()).isEqualTo("ARM64");
        assertThat(registered.at("/ephemeralStorage/sizeInGiB").asInt()).isEqualTo(30);
        // CloudFormation's aws: tags are AWS's to set; registering them would be refused.
        assertThat(registered.get("tags")).singleElement().satisfies(tag -> {
            assertThat(tag.get("key").asText()).isEqualTo("team");
            assertThat(tag.get("value").asText()).isEqualTo("payments");
        });
        assertThat(registered.fieldNames()).toIterable().doesNotContainAnyElementsOf(FakeEcs.READ_ONLY_FIELDS);

        String revision2 = FakeEcs.taskDefinitionArn("api", 2);
        assertThat(handle.revision()).isEqualTo(revision2);
        JsonNode update = single(fake.ecs().updateServiceCalls());
        assertThat(update.get("cluster").asText()).isEqualTo(CLUSTER);
        assertThat(update.get("service").asText()).isEqualTo(SERVICE);
        assertThat(update.get("taskDefinition").asText()).isEqualTo(revision2);
        JsonNode primary = fake.ecs().service(CLUSTER, SERVICE).at("/deployments/0");
        assertThat(handle.id()).isEqualTo(primary.get("id").asText());
        assertThat(primary.get("taskDefinition").asText()).isEqualTo(revision2);
    }

    @Test
    void startingAgainForTheSameImageFollowsTheDeploymentAlreadyStarted() {
        DeploymentHandle first = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");

        DeploymentHandle again = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");

        assertThat(again).isEqualTo(first);
        assertThat(fake.ecs().registeredTaskDefinitions()).hasSize(1);
        assertThat(fake.ecs().updateServiceCalls()).hasSize(1);
    }

    @Test
    void startingAgainAfterAnInterruptedStartReusesTheRegisteredRevision() {
        fake.failNext(FakeEcs.TARGET_PREFIX + ".UpdateService",
                AwsError.accessDenied("User is not authorized to perform: ecs:UpdateService"));
        assertThatThrownBy(() -> deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1"))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> {
                    assertThat(failure.service()).isEqualTo("ECS");
                    assertThat(failure.code()).isEqualTo("AccessDeniedException");
                    assertThat(failure.retryable()).isFalse();
                });

        DeploymentHandle handle = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");

        assertThat(fake.ecs().registeredTaskDefinitions()).hasSize(1);
        assertThat(handle.revision()).isEqualTo(FakeEcs.taskDefinitionArn("api", 2));
        assertThat(single(fake.ecs().updateServiceCalls()).get("taskDefinition").asText()).isEqualTo(handle.revision());
    }

    @Test
    void checkFollowsTheDeploymentToCompletion() {
        DeploymentHandle handle = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");
        List<DeploymentStatus> statuses = new ArrayList<>();

        statuses.add(deployer.check(settings(Optional.of("app")), handle));
        fake.ecs().progressDeployment(CLUSTER, SERVICE, 1);
        statuses.add(deployer.check(settings(Optional.of("app")), handle));
        fake.ecs().completeDeployment(CLUSTER, SERVICE);
        statuses.add(deployer.check(settings(Optional.of("app")), handle));

        assertThat(statuses).containsExactly(
                new DeploymentStatus(Progress.IN_PROGRESS, "0/2 tasks running", null),
                new DeploymentStatus(Progress.IN_PROGRESS, "1/2 tasks running", null),
                new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null));
    }

    @Test
    void circuitBreakerRollbackIsAFailureAlthoughTheServiceIsSteadyAgain() {
        DeploymentHandle handle = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");
        fake.ecs().failDeployment(CLUSTER, SERVICE, FakeEcs.CIRCUIT_BREAKER_REASON);

        DeploymentStatus whileListed = deployer.check(settings(Optional.of("app")), handle);
        fake.ecs().dropDrainedDeployments(CLUSTER, SERVICE);
        DeploymentStatus afterDrained = deployer.check(settings(Optional.of("app")), handle);

        JsonNode primary = fake.ecs().service(CLUSTER, SERVICE).at("/deployments/0");
        assertThat(primary.get("rolloutState").asText()).isEqualTo("COMPLETED");
        assertThat(primary.get("taskDefinition").asText()).isEqualTo(FakeEcs.taskDefinitionArn("api", 1));
        assertThat(whileListed.phase()).isEqualTo(Progress.FAILED);
        assertThat(whileListed.failure()).isEqualTo(FakeEcs.CIRCUIT_BREAKER_REASON);
        assertThat(afterDrained.phase()).isEqualTo(Progress.FAILED);
        assertThat(afterDrained.failure()).isEqualTo("rolled back: tasks failed to start.");
    }

    @Test
    void anotherReleaseTakingOverIsAFailureOfThisOne() {
        DeploymentHandle handle = deployer.start(settings(Optional.of("app")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1");
        ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).taskDefinition(FakeEcs.taskDefinitionArn("api", 1)));

        DeploymentStatus status = deployer.check(settings(Optional.of("app")), handle);

        assertThat(status.phase()).isEqualTo(Progress.FAILED);
        assertThat(status.failure()).startsWith("rolled back: deployment " + handle.id() + " is no longer")
                .endsWith("the service runs " + FakeEcs.taskDefinitionArn("api", 1));
    }

    @Test
    void withSeveralContainersTheTargetMustBeConfigured() {
        assertThatThrownBy(() -> deployer.start(settings(Optional.empty()), ContainerImages.single(IMAGE, IMAGE_URI), "r-1"))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo("ContainerNotConfigured");
                    assertThat(failure.getMessage()).contains("[app, log-router]");
                    assertThat(failure.retryable()).isFalse();
                });
        assertThatThrownBy(() -> deployer.start(settings(Optional.of("web")), ContainerImages.single(IMAGE, IMAGE_URI), "r-1"))
                .isInstanceOfSatisfying(ExternalFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo("ContainerNotFound"));
        assertThat(fake.ecs().registeredTaskDefinitions()).isEmpty();
    }

    @Test
    void severalImagesArePinnedInOneRevisionAndOneDeployment() {
        String nginxRepository = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/api-nginx";
        fake.ecs().createService(CLUSTER, "web", TaskDefinitionSpec.of("web",
                container("app", REPOSITORY + ":release", 8080),
                container("nginx", nginxRepository + ":release", 80),
                sidecar("log-router", FLUENT_BIT)));
        DeploySettings web = new DeploySettings(Strategy.ECS, CLUSTER, "web", Optional.empty(), 0,
                null, null, null, Duration.ofMinutes(10));
        ImageRef nginx = new ImageRef(nginxRepository, "sha256:" + "c".repeat(64));
        ContainerImages images = new ContainerImages(List.of(
                new ContainerImages.Image(Optional.of("app"), IMAGE, IMAGE_URI),
                new ContainerImages.Image(Optional.of("nginx"), nginx, nginxRepository + "@" + nginx.digest())));

        DeploymentHandle handle = deployer.start(web, images, "r-1");
        DeploymentHandle again = deployer.start(web, images, "r-1");

        JsonNode registered = single(fake.ecs().registeredTaskDefinitions());
        assertThat(containerIn(registered, "app").get("image").asText()).isEqualTo(IMAGE_URI);
        assertThat(containerIn(registered, "nginx").get("image").asText()).isEqualTo(nginxRepository + "@" + nginx.digest());
        assertThat(containerIn(registered, "nginx").at("/portMappings/0/containerPort").asInt()).isEqualTo(80);
        assertThat(containerIn(registered, "log-router").get("image").asText()).isEqualTo(FLUENT_BIT);
        assertThat(single(fake.ecs().updateServiceCalls()).get("taskDefinition").asText()).isEqualTo(handle.revision());
        assertThat(again).isEqualTo(handle);
    }

    @Test
    void theOnlyContainerIsTheTargetWithoutConfiguration() {
        fake.ecs().createService(CLUSTER, "worker", TaskDefinitionSpec.of("worker", container("worker", "worker:1", 0)));
        DeploySettings worker = new DeploySettings(Strategy.ECS, CLUSTER, "worker", Optional.empty(), 0,
                null, null, null, Duration.ofMinutes(10));

        DeploymentHandle handle = deployer.start(worker, ContainerImages.single(IMAGE, IMAGE_URI), "r-1");

        assertThat(handle.revision()).isEqualTo(FakeEcs.taskDefinitionArn("worker", 2));
        assertThat(containerIn(single(fake.ecs().registeredTaskDefinitions()), "worker").get("image").asText())
                .isEqualTo(IMAGE_URI);
    }

    @Test
    void unknownClusterAndServiceAreNonRetryableFailures() {
        DeploySettings otherCluster = new DeploySettings(Strategy.ECS, "staging", SERVICE, Optional.empty(), 0,
                null, null, null, Duration.ofMinutes(10));
        DeploySettings otherService = new DeploySettings(Strategy.ECS, CLUSTER, "nope", Optional.empty(), 0,
                null, null, null, Duration.ofMinutes(10));

        assertThatThrownBy(() -> deployer.start(otherCluster, ContainerImages.single(IMAGE, IMAGE_URI), "r-1"))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo("ClusterNotFoundException");
                    assertThat(failure.retryable()).isFalse();
                });
        assertThatThrownBy(() -> deployer.check(otherService, new DeploymentHandle("ecs-svc/1", "x")))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo("MISSING");
                    assertThat(failure.retryable()).isFalse();
                });
    }

    private static DeploySettings settings(Optional<String> container) {
        return new DeploySettings(Strategy.ECS, CLUSTER, SERVICE, container, 8080, null, null, null,
                Duration.ofMinutes(15));
    }

    private static JsonNode containerIn(JsonNode taskDefinition, String name) {
        for (JsonNode container : taskDefinition.get("containerDefinitions")) {
            if (container.get("name").asText().equals(name)) {
                return container;
            }
        }
        throw new AssertionError("no container " + name + " in " + taskDefinition);
    }

    private static JsonNode single(List<JsonNode> nodes) {
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }
}
