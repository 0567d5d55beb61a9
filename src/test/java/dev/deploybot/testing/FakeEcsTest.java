package dev.deploybot.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentControllerType;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PortMapping;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static dev.deploybot.testing.TaskDefinitionSpec.sidecar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeEcsTest {

    private static final String CLUSTER = "prod";
    private static final String SERVICE = "api";
    private static final String REGISTER = FakeEcs.TARGET_PREFIX + ".RegisterTaskDefinition";

    private FakeAws fake;
    private EcsClient ecs;
    private String revision1;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        revision1 = fake.ecs().createService(CLUSTER, SERVICE, TaskDefinitionSpec.of("api",
                        container("app", "111111111111.dkr.ecr.eu-west-1.amazonaws.com/api:old", 8080),
                        sidecar("log-router", "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"))
                .withTags(Map.of("team", "payments")), "ECS");
        ecs = fake.client(EcsClient.builder());
    }

    @AfterEach
    void stop() {
        ecs.close();
        fake.close();
    }

    @Test
    void setupServiceRunsRevisionOneWithOneCompletedPrimaryDeployment() {
        Service service = describe();

        assertThat(revision1).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task-definition/api:1");
        assertThat(service.serviceArn()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:service/prod/api");
        assertThat(service.clusterArn()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:cluster/prod");
        assertThat(service.status()).isEqualTo("ACTIVE");
        assertThat(service.taskDefinition()).isEqualTo(revision1);
        assertThat(service.desiredCount()).isEqualTo(2);
        assertThat(service.runningCount()).isEqualTo(2);
        assertThat(service.deploymentController().type()).isEqualTo(DeploymentControllerType.ECS);
        assertThat(service.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).matches("ecs-svc/\\d{19}");
            assertThat(d.status()).isEqualTo("PRIMARY");
            assertThat(d.taskDefinition()).isEqualTo(revision1);
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
            assertThat(d.runningCount()).isEqualTo(2);
            assertThat(d.createdAt()).isNotNull();
        });
        assertThat(service.events()).extracting(e -> e.message()).contains("(service api) has reached a steady state.");
    }

    @Test
    void unknownServiceIsAMissingFailureAndUnknownClusterAnException() {
        DescribeServicesResponse response = ecs.describeServices(r -> r.cluster(CLUSTER).services("nope", SERVICE));

        assertThat(response.services()).extracting(Service::serviceName).containsExactly(SERVICE);
        assertThat(response.failures()).singleElement().satisfies(f -> {
            assertThat(f.arn()).isEqualTo("arn:aws:ecs:eu-west-1:123456789012:service/prod/nope");
            assertThat(f.reason()).isEqualTo("MISSING");
        });
        assertThatThrownBy(() -> ecs.describeServices(r -> r.cluster("staging").services(SERVICE)))
                .isInstanceOf(ClusterNotFoundException.class).hasMessageContaining("Cluster not found.");
    }

    @Test
    void describeTaskDefinitionHasTheReadOnlyFieldsAndTagsOnlyWhenAskedFor() {
        DescribeTaskDefinitionResponse withTags = ecs.describeTaskDefinition(r -> r.taskDefinition(revision1)
                .include(TaskDefinitionField.TAGS));
        DescribeTaskDefinitionResponse withoutTags = ecs.describeTaskDefinition(r -> r.taskDefinition("api:1"));

        TaskDefinition definition = withTags.taskDefinition();
        assertThat(definition.taskDefinitionArn()).isEqualTo(revision1);
        assertThat(definition.revision()).isEqualTo(1);
        assertThat(definition.status()).isEqualTo(TaskDefinitionStatus.ACTIVE);
        assertThat(definition.requiresAttributes()).isNotEmpty();
        assertThat(definition.compatibilitiesAsStrings()).containsExactly("EC2", "FARGATE");
        assertThat(definition.registeredAt()).isNotNull();
        assertThat(definition.registeredBy()).isEqualTo(FakeEcs.REGISTERED_BY);
        assertThat(definition.networkMode()).isEqualTo(NetworkMode.AWSVPC);
        assertThat(definition.cpu()).isEqualTo("256");
        assertThat(definition.memory()).isEqualTo("512");
        assertThat(definition.containerDefinitions()).extracting(ContainerDefinition::name)
                .containsExactly("app", "log-router");
        assertThat(definition.containerDefinitions().get(0).portMappings()).singleElement()
                .extracting(PortMapping::containerPort, PortMapping::hostPort).containsExactly(8080, 8080);
        assertThat(withTags.tags()).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo("team");
            assertThat(t.value()).isEqualTo("payments");
        });
        assertThat(withoutTags.hasTags()).isFalse();
    }

    @Test
    void familyAloneNamesTheLatestRevision() {
        RegisterTaskDefinitionResponse registered = ecs.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("api:new").build()));

        assertThat(registered.taskDefinition().revision()).isEqualTo(2);
        assertThat(ecs.describeTaskDefinition(r -> r.taskDefinition("api")).taskDefinition().taskDefinitionArn())
                .isEqualTo("arn:aws:ecs:eu-west-1:123456789012:task-definition/api:2");
        assertThat(fake.ecs().registeredTaskDefinitions()).singleElement()
                .satisfies(request -> assertThat(request.get("family").asText()).isEqualTo("api"));
    }

    @Test
    void unknownTaskDefinitionIsAClientException() {
        assertThatThrownBy(() -> ecs.describeTaskDefinition(r -> r.taskDefinition("api:7")))
                .isInstanceOf(ClientException.class).hasMessageContaining("Unable to describe task definition.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
            "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt"})
    void registeringAReadOnlyFieldIsRejected(String field) throws Exception {
        // The SDK cannot send these; a hand-made request can, as `aws ecs register-task-definition --cli-input-json` users learn.
        ObjectNode request = (ObjectNode) fake.ecs().taskDefinition(revision1).orElseThrow();
        request.remove(FakeEcs.READ_ONLY_FIELDS);
        request.put(field, "set by ECS");

        HttpResponse<String> response = rawCall(REGISTER, request.toString());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(response.body()).get("__type").asText()).isEqualTo("ClientException");
        assertThat(fake.ecs().registeredTaskDefinitions()).isEmpty();
    }

    @Test
    void describedTaskDefinitionWithoutReadOnlyFieldsRegistersAsIs() throws Exception {
        ObjectNode request = (ObjectNode) fake.ecs().taskDefinition(revision1).orElseThrow();
        request.remove(FakeEcs.READ_ONLY_FIELDS);

        HttpResponse<String> response = rawCall(REGISTER, request.toString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(response.body()).at("/taskDefinition/revision").asInt()).isEqualTo(2);
    }

    @Test
    void tagsWithTheReservedAwsPrefixCannotBeRegistered() {
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("api")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("api:new").build())
                .tags(t -> t.key("aws:cloudformation:stack-name").value("api"))))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("aws:");
    }

    @Test
    void fargateNeedsAwsvpcAndTaskLevelCpu() {
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("api").requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode(NetworkMode.BRIDGE).cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("api:new").build())))
                .isInstanceOf(ClientException.class).hasMessageContaining("Fargate only supports network mode 'awsvpc'.");
        assertThatThrownBy(() -> ecs.registerTaskDefinition(r -> r.family("api").requiresCompatibilitiesWithStrings("FARGATE")
                .networkMode(NetworkMode.AWSVPC).memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("app").image("api:new").build())))
                .isInstanceOf(ClientException.class).hasMessageContaining("'cpu'");
    }

    @Test
    void updateServiceStartsAPrimaryDeploymentAndKeepsTheOldOneActive() {
        String revision2 = registerRevision2();

        Service updated = ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).taskDefinition(revision2)).service();

        assertThat(updated.taskDefinition()).isEqualTo(revision2);
        assertThat(updated.deployments()).hasSize(2);
        Deployment primary = updated.deployments().get(0);
        assertThat(primary.status()).isEqualTo("PRIMARY");
        assertThat(primary.taskDefinition()).isEqualTo(revision2);
        assertThat(primary.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(primary.runningCount()).isZero();
        assertThat(updated.deployments().get(1).status()).isEqualTo("ACTIVE");
        assertThat(updated.deployments().get(1).taskDefinition()).isEqualTo(revision1);
        assertThat(fake.ecs().updateServiceCalls()).singleElement()
                .satisfies(call -> assertThat(call.get("taskDefinition").asText()).isEqualTo(revision2));
    }

    @Test
    void updateServiceWithTheSameTaskDefinitionStartsNothingUnlessForced() {
        Service same = ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).taskDefinition(revision1)).service();
        Service forced = ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).forceNewDeployment(true)).service();

        assertThat(same.deployments()).hasSize(1);
        assertThat(forced.deployments()).hasSize(2);
        assertThat(forced.deployments()).extracting(Deployment::taskDefinition).containsOnly(revision1);
    }

    @Test
    void progressAndCompleteMoveThePrimaryDeployment() {
        String revision2 = registerRevision2();
        ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).taskDefinition(revision2));

        fake.ecs().progressDeployment(CLUSTER, SERVICE, 1);
        Deployment halfway = describe().deployments().get(0);
        fake.ecs().completeDeployment(CLUSTER, SERVICE);
        Service done = describe();

        assertThat(halfway.runningCount()).isEqualTo(1);
        assertThat(halfway.pendingCount()).isEqualTo(1);
        assertThat(halfway.rolloutState()).isEqualTo(DeploymentRolloutState.IN_PROGRESS);
        assertThat(done.deployments()).singleElement().satisfies(d -> {
            assertThat(d.id()).isEqualTo(halfway.id());
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
            assertThat(d.runningCount()).isEqualTo(2);
        });
        assertThat(done.runningCount()).isEqualTo(2);
    }

    @Test
    void circuitBreakerFailsTheDeploymentAndRollsBackToASteadyService() {
        String revision2 = registerRevision2();
        String failedId = ecs.updateService(r -> r.cluster(CLUSTER).service(SERVICE).taskDefinition(revision2))
                .service().deployments().get(0).id();

        fake.ecs().failDeployment(CLUSTER, SERVICE, FakeEcs.CIRCUIT_BREAKER_REASON);
        Service rolledBack = describe();
        fake.ecs().dropDrainedDeployments(CLUSTER, SERVICE);
        Service settled = describe();

        assertThat(rolledBack.taskDefinition()).isEqualTo(revision1);
        Deployment primary = rolledBack.deployments().get(0);
        assertThat(primary.status()).isEqualTo("PRIMARY");
        assertThat(primary.id()).isNotEqualTo(failedId);
        assertThat(primary.taskDefinition()).isEqualTo(revision1);
        assertThat(primary.rolloutState()).isEqualTo(DeploymentRolloutState.COMPLETED);
        assertThat(rolledBack.deployments()).filteredOn(d -> d.id().equals(failedId)).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo("ACTIVE");
            assertThat(d.rolloutState()).isEqualTo(DeploymentRolloutState.FAILED);
            assertThat(d.rolloutStateReason()).isEqualTo(FakeEcs.CIRCUIT_BREAKER_REASON);
        });
        assertThat(rolledBack.events()).extracting(e -> e.message())
                .contains("(service api) (deployment " + failedId + ") deployment failed: tasks failed to start.");
        assertThat(settled.deployments()).extracting(Deployment::id).containsExactly(primary.id());
    }

    @Test
    void codeDeployControlledServiceRefusesANewTaskDefinition() {
        fake.ecs().createService(CLUSTER, "web", TaskDefinitionSpec.of("web", container("web", "web:1", 80)), "CODE_DEPLOY");

        assertThat(ecs.describeServices(r -> r.cluster(CLUSTER).services("web")).services().get(0)
                .deploymentController().type()).isEqualTo(DeploymentControllerType.CODE_DEPLOY);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster(CLUSTER).service("web").taskDefinition("web:1")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("CODE_DEPLOY deployment controller");
    }

    @Test
    void updatingAnUnknownServiceIsServiceNotFound() {
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster(CLUSTER).service("nope").forceNewDeployment(true)))
                .isInstanceOf(ServiceNotFoundException.class);
        assertThatThrownBy(() -> ecs.updateService(r -> r.cluster("nope").service(SERVICE).forceNewDeployment(true)))
                .isInstanceOf(ClusterNotFoundException.class);
    }

    private String registerRevision2() {
        return ecs.registerTaskDefinition(r -> r.family("api").networkMode(NetworkMode.AWSVPC)
                        .requiresCompatibilitiesWithStrings("FARGATE").cpu("256").memory("512")
                        .containerDefinitions(ContainerDefinition.builder().name("app").image("api:new").build()))
                .taskDefinition().taskDefinitionArn();
    }

    private Service describe() {
        return ecs.describeServices(r -> r.cluster(CLUSTER).services(SERVICE)).services().get(0);
    }

    private HttpResponse<String> rawCall(String target, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(fake.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", target)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/x")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
