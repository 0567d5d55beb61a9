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
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeCodeDeploy;
import dev.deploybot.testing.FakeCodeDeploy.CreatedDeployment;
import dev.deploybot.testing.FakeEcs;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static dev.deploybot.testing.TaskDefinitionSpec.sidecar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeDeployServiceDeployerTest {

    private static final String CLUSTER = "prod";
    private static final String SERVICE = "web";
    private static final String APP = "AppECS-prod-web";
    private static final String GROUP = "DgpECS-prod-web";
    private static final String REPOSITORY = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/web";
    private static final ImageRef IMAGE = new ImageRef(REPOSITORY, "sha256:" + "c".repeat(64));
    private static final String IMAGE_URI = REPOSITORY + "@" + IMAGE.digest();
    private static final DeploySettings SETTINGS = new DeploySettings(Strategy.CODEDEPLOY, CLUSTER, SERVICE,
            Optional.of("web"), 8080, APP, GROUP, null, Duration.ofMinutes(30));

    private FakeAws fake;
    private EcsClient ecs;
    private CodeDeployClient codeDeploy;
    private CodeDeployServiceDeployer deployer;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.ecs().createService(CLUSTER, SERVICE, TaskDefinitionSpec.of("web",
                        container("web", REPOSITORY + ":release", 8080), sidecar("xray", "amazon/aws-xray-daemon"))
                .withTags(Map.of("team", "storefront")), "CODE_DEPLOY");
        fake.codeDeploy().createApplication(APP, GROUP, CLUSTER, SERVICE);
        ecs = fake.client(EcsClient.builder());
        codeDeploy = fake.client(CodeDeployClient.builder());
        deployer = new CodeDeployServiceDeployer(() -> ecs, () -> codeDeploy);
    }

    @AfterEach
    void stop() {
        ecs.close();
        codeDeploy.close();
        fake.close();
    }

    @Test
    void registersThePinnedRevisionAndHandsCodeDeployAnAppSpecNamingIt() throws Exception {
        DeploymentHandle handle = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-7");

        String revision2 = FakeEcs.taskDefinitionArn("web", 2);
        JsonNode registered = fake.ecs().registeredTaskDefinitions().get(0);
        assertThat(registered.at("/containerDefinitions/0/image").asText()).isEqualTo(IMAGE_URI);
        assertThat(registered.at("/containerDefinitions/1/image").asText()).isEqualTo("amazon/aws-xray-daemon");
        assertThat(registered.at("/tags/0/key").asText()).isEqualTo("team");
        assertThat(fake.ecs().updateServiceCalls()).as("CodeDeploy moves the service, not us").isEmpty();
        CreatedDeployment created = fake.codeDeploy().deployments().get(0);
        assertThat(handle).isEqualTo(new DeploymentHandle(created.deploymentId(), revision2));
        assertThat(created.applicationName()).isEqualTo(APP);
        assertThat(created.deploymentGroupName()).isEqualTo(GROUP);
        assertThat(created.appSpecSha256()).isEqualTo(FakeCodeDeploy.sha256(created.appSpecContent()));
        JsonNode appSpec = new ObjectMapper().readTree(created.appSpecContent());
        assertThat(appSpec.get("version").asDouble()).isEqualTo(0.0);
        JsonNode target = appSpec.at("/Resources/0/TargetService");
        assertThat(target.get("Type").asText()).isEqualTo("AWS::ECS::Service");
        assertThat(target.at("/Properties/TaskDefinition").asText()).isEqualTo(revision2);
        assertThat(target.at("/Properties/LoadBalancerInfo/ContainerName").asText()).isEqualTo("web");
        assertThat(target.at("/Properties/LoadBalancerInfo/ContainerPort").asInt()).isEqualTo(8080);
    }

    @Test
    void checkReportsCodeDeploysStatusUntilItSucceeds() {
        DeploymentHandle handle = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-7");

        DeploymentStatus created = deployer.check(SETTINGS, handle);
        fake.codeDeploy().moveTo(handle.id(), "InProgress");
        DeploymentStatus inProgress = deployer.check(SETTINGS, handle);
        fake.codeDeploy().succeed(handle.id());
        DeploymentStatus succeeded = deployer.check(SETTINGS, handle);

        assertThat(created).isEqualTo(new DeploymentStatus(Progress.IN_PROGRESS, "Created", null));
        assertThat(inProgress).isEqualTo(new DeploymentStatus(Progress.IN_PROGRESS, "InProgress", null));
        assertThat(succeeded).isEqualTo(new DeploymentStatus(Progress.SUCCEEDED, "Succeeded", null));
        assertThat(fake.ecs().service(CLUSTER, SERVICE).get("taskDefinition").asText()).isEqualTo(handle.revision());
    }

    @Test
    void theConfiguredDeploymentConfigIsUsedAndCodeDeploysOwnRollbackIsAFailureWithItsReason() {
        DeploySettings canary = new DeploySettings(Strategy.CODEDEPLOY, CLUSTER, SERVICE, Optional.of("web"), 8080, APP,
                GROUP, null, Duration.ofMinutes(30), Optional.of("CodeDeployDefault.ECSCanary10Percent5Minutes"));
        DeploymentHandle handle = deployer.start(canary, ContainerImages.single(IMAGE, IMAGE_URI), "r-9");
        fake.codeDeploy().moveTo(handle.id(), "InProgress");
        fake.codeDeploy().rollBackOnAlarm(handle.id(), "app-5xx");

        DeploymentStatus status = deployer.check(canary, handle);

        assertThat(fake.codeDeploy().deploymentConfigOf(handle.id())).isEqualTo("CodeDeployDefault.ECSCanary10Percent5Minutes");
        assertThat(status.phase()).isEqualTo(Progress.FAILED);
        assertThat(status.failure()).contains("Activated alarms: <app-5xx>").contains("CodeDeploy rolled back with deployment d-");
    }

    @Test
    void failedAndStoppedDeploymentsAreFailures() {
        DeploymentHandle failing = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-7");
        fake.codeDeploy().fail(failing.id(), "HEALTH_CONSTRAINTS", "The deployment failed because too many tasks failed health checks");
        DeploymentStatus failed = deployer.check(SETTINGS, failing);
        DeploymentHandle stopping = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-8");
        codeDeploy.stopDeployment(r -> r.deploymentId(stopping.id()));
        DeploymentStatus stopped = deployer.check(SETTINGS, stopping);

        assertThat(failed).isEqualTo(new DeploymentStatus(Progress.FAILED, "Failed",
                "The deployment failed because too many tasks failed health checks"));
        assertThat(stopped).isEqualTo(new DeploymentStatus(Progress.FAILED, "Stopped",
                "deployment " + stopping.id() + " stopped"));
        assertThat(fake.ecs().registeredTaskDefinitions()).as("the second release reused the revision").hasSize(1);
    }

    @Test
    void startingAgainWhileOurDeploymentRunsFollowsIt() {
        DeploymentHandle first = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-7");

        DeploymentHandle again = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-7");

        assertThat(again).isEqualTo(first);
        assertThat(fake.ecs().registeredTaskDefinitions()).hasSize(1);
        assertThat(fake.codeDeploy().deployments()).hasSize(1);
    }

    @Test
    void someoneElsesActiveDeploymentIsANonRetryableFailure() {
        DeploymentHandle other = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-7");
        ImageRef newer = new ImageRef(REPOSITORY, "sha256:" + "d".repeat(64));

        assertThatThrownBy(() -> deployer.start(SETTINGS, ContainerImages.single(newer, REPOSITORY + "@" + newer.digest()), "r-8"))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> {
                    assertThat(failure.service()).isEqualTo("CodeDeploy");
                    assertThat(failure.code()).isEqualTo("DeploymentLimitExceededException");
                    assertThat(failure.detail()).contains(other.id());
                    assertThat(failure.retryable()).isFalse();
                });
        assertThat(fake.codeDeploy().deployments()).extracting(CreatedDeployment::deploymentId)
                .isEqualTo(List.of(other.id()));
    }

    @Test
    void unknownDeploymentGroupIsAFailure() {
        DeploySettings wrongGroup = new DeploySettings(Strategy.CODEDEPLOY, CLUSTER, SERVICE, Optional.of("web"), 8080,
                APP, "nope", null, Duration.ofMinutes(30));

        assertThatThrownBy(() -> deployer.start(wrongGroup, ContainerImages.single(IMAGE, IMAGE_URI), "r-7"))
                .isInstanceOfSatisfying(ExternalFailure.class,
                        failure -> assertThat(failure.code()).isEqualTo("DeploymentGroupDoesNotExistException"));
    }
}
