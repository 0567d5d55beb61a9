package dev.deploybot.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.ApplicationDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.CreateDeploymentRequest;
import software.amazon.awssdk.services.codedeploy.model.DeploymentAlreadyCompletedException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentGroupDoesNotExistException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentLimitExceededException;
import software.amazon.awssdk.services.codedeploy.model.DeploymentStatus;
import software.amazon.awssdk.services.codedeploy.model.InvalidRevisionException;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.codedeploy.model.StopStatus;
import software.amazon.awssdk.services.ecs.EcsClient;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeCodeDeployTest {

    private static final String APP = "AppECS-prod-web";
    private static final String GROUP = "DgpECS-prod-web";
    private static final String TASK_DEFINITION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:2";

    private FakeAws fake;
    private CodeDeployClient codeDeploy;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.codeDeploy().createApplication(APP, GROUP);
        codeDeploy = fake.client(CodeDeployClient.builder());
    }

    @AfterEach
    void stop() {
        codeDeploy.close();
        fake.close();
    }

    @Test
    void createdDeploymentIsVisibleWithItsRevision() {
        String id = codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION))).deploymentId();

        DeploymentInfo info = codeDeploy.getDeployment(r -> r.deploymentId(id)).deploymentInfo();

        assertThat(id).matches("d-[A-Z0-9]{9}");
        assertThat(info.deploymentId()).isEqualTo(id);
        assertThat(info.applicationName()).isEqualTo(APP);
        assertThat(info.deploymentGroupName()).isEqualTo(GROUP);
        assertThat(info.status()).isEqualTo(DeploymentStatus.CREATED);
        assertThat(info.createTime()).isNotNull();
        assertThat(info.completeTime()).isNull();
        assertThat(info.errorInformation()).isNull();
        assertThat(info.revision().revisionType()).isEqualTo(RevisionLocationType.APP_SPEC_CONTENT);
        assertThat(fake.codeDeploy().deployments()).singleElement().satisfies(d -> {
            assertThat(d.deploymentId()).isEqualTo(id);
            assertThat(d.appSpecContent()).isEqualTo(appSpec(TASK_DEFINITION));
            assertThat(d.appSpecSha256()).isEqualTo(FakeCodeDeploy.sha256(appSpec(TASK_DEFINITION)));
        });
    }

    @Test
    void succeededAndFailedDeploymentsAreComplete() {
        String first = codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION))).deploymentId();
        fake.codeDeploy().moveTo(first, "InProgress");
        DeploymentInfo running = codeDeploy.getDeployment(r -> r.deploymentId(first)).deploymentInfo();
        fake.codeDeploy().succeed(first);
        String second = codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION))).deploymentId();
        fake.codeDeploy().fail(second, "HEALTH_CONSTRAINTS", "The overall deployment failed because too many individual instances failed deployment");

        DeploymentInfo succeeded = codeDeploy.getDeployment(r -> r.deploymentId(first)).deploymentInfo();
        DeploymentInfo failed = codeDeploy.getDeployment(r -> r.deploymentId(second)).deploymentInfo();

        assertThat(running.status()).isEqualTo(DeploymentStatus.IN_PROGRESS);
        assertThat(running.startTime()).isNotNull();
        assertThat(succeeded.status()).isEqualTo(DeploymentStatus.SUCCEEDED);
        assertThat(succeeded.completeTime()).isNotNull();
        assertThat(failed.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(failed.errorInformation().codeAsString()).isEqualTo("HEALTH_CONSTRAINTS");
        assertThat(failed.errorInformation().message()).startsWith("The overall deployment failed");
    }

    @Test
    void aSecondActiveDeploymentOnTheGroupExceedsTheLimit() {
        String active = codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION))).deploymentId();

        assertThatThrownBy(() -> codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION))))
                .isInstanceOf(DeploymentLimitExceededException.class)
                .hasMessageContaining("The Deployment Group '" + GROUP + "' already has an active Deployment '" + active + "'");
        assertThat(codeDeploy.listDeployments(r -> r.applicationName(APP).deploymentGroupName(GROUP)
                .includeOnlyStatusesWithStrings("Created", "Queued", "InProgress", "Baking", "Ready")).deployments())
                .containsExactly(active);
    }

    @Test
    void unknownApplicationAndGroupAreTheirOwnErrors() {
        assertThatThrownBy(() -> codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION)).toBuilder()
                .applicationName("nope").build()))
                .isInstanceOf(ApplicationDoesNotExistException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION)).toBuilder()
                .deploymentGroupName("nope").build()))
                .isInstanceOf(DeploymentGroupDoesNotExistException.class).hasMessageContaining("nope");
    }

    @Test
    void appSpecMustMatchItsHashAndNameATaskDefinition() {
        CreateDeploymentRequest wrongHash = deployment(appSpec(TASK_DEFINITION)).toBuilder()
                .revision(r -> r.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                        .appSpecContent(c -> c.content(appSpec(TASK_DEFINITION)).sha256(FakeCodeDeploy.sha256("other"))))
                .build();

        assertThatThrownBy(() -> codeDeploy.createDeployment(wrongHash)).isInstanceOf(InvalidRevisionException.class);
        assertThatThrownBy(() -> codeDeploy.createDeployment(deployment(appSpec("web:2"))))
                .isInstanceOf(InvalidRevisionException.class);
    }

    @Test
    void stopEndsAnActiveDeploymentOnce() {
        String id = codeDeploy.createDeployment(deployment(appSpec(TASK_DEFINITION))).deploymentId();

        assertThat(codeDeploy.stopDeployment(r -> r.deploymentId(id).autoRollbackEnabled(true)).status())
                .isEqualTo(StopStatus.SUCCEEDED);
        assertThat(codeDeploy.getDeployment(r -> r.deploymentId(id)).deploymentInfo().status())
                .isEqualTo(DeploymentStatus.STOPPED);
        assertThat(fake.codeDeploy().stoppedWithRollback(id)).hasValue(true);
        assertThatThrownBy(() -> codeDeploy.stopDeployment(r -> r.deploymentId(id)))
                .isInstanceOf(DeploymentAlreadyCompletedException.class);
    }

    @Test
    void unknownDeploymentDoesNotExist() {
        assertThatThrownBy(() -> codeDeploy.getDeployment(r -> r.deploymentId("d-ABCDEFGHI")))
                .isInstanceOf(DeploymentDoesNotExistException.class);
    }

    @Test
    void successOnALinkedGroupSwitchesTheEcsService() {
        String revision1 = fake.ecs().createService("prod", "web",
                TaskDefinitionSpec.of("web", container("web", "web:1", 80)), "CODE_DEPLOY");
        fake.codeDeploy().createApplication("linked", GROUP, "prod", "web");
        String revision2 = revision1.replace(":1", ":2");
        try (EcsClient ecs = fake.client(EcsClient.builder())) {
            ecs.registerTaskDefinition(r -> r.family("web")
                    .containerDefinitions(c -> c.name("web").image("web:2")));

            String id = codeDeploy.createDeployment(deployment(appSpec(revision2)).toBuilder()
                    .applicationName("linked").build()).deploymentId();
            fake.codeDeploy().succeed(id);

            assertThat(ecs.describeServices(r -> r.cluster("prod").services("web")).services().get(0).taskDefinition())
                    .isEqualTo(revision2);
        }
    }

    private static CreateDeploymentRequest deployment(String appSpec) {
        return CreateDeploymentRequest.builder().applicationName(APP).deploymentGroupName(GROUP)
                .revision(r -> r.revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                        .appSpecContent(c -> c.content(appSpec).sha256(FakeCodeDeploy.sha256(appSpec))))
                .build();
    }

    private static String appSpec(String taskDefinition) {
        return "{\"version\":0.0,\"Resources\":[{\"TargetService\":{\"Type\":\"AWS::ECS::Service\",\"Properties\":"
                + "{\"TaskDefinition\":\"" + taskDefinition + "\",\"LoadBalancerInfo\":{\"ContainerName\":\"web\","
                + "\"ContainerPort\":80}}}}]}";
    }
}
