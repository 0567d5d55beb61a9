package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.ImageRef;
import dev.deploybot.deploy.ContainerImages;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.services.ecs.model.Attribute;
import software.amazon.awssdk.services.ecs.model.Compatibility;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.EphemeralStorage;
import software.amazon.awssdk.services.ecs.model.InferenceAccelerator;
import software.amazon.awssdk.services.ecs.model.IpcMode;
import software.amazon.awssdk.services.ecs.model.NetworkMode;
import software.amazon.awssdk.services.ecs.model.PidMode;
import software.amazon.awssdk.services.ecs.model.ProxyConfiguration;
import software.amazon.awssdk.services.ecs.model.ProxyConfigurationType;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RuntimePlatform;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraint;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionPlacementConstraintType;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;
import software.amazon.awssdk.services.ecs.model.Volume;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PinnedTaskDefinitionTest {

    private static final String REGISTRY = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/";
    private static final String IMAGE_URI = REGISTRY + "api@sha256:" + "b".repeat(64);
    private static final String ENVOY_URI = REGISTRY + "envoy@sha256:" + "c".repeat(64);

    private static ImageRef image(String repository, char digit) {
        return new ImageRef(repository, "sha256:" + String.valueOf(digit).repeat(64));
    }

    @Test
    void everyMemberRegisterTaskDefinitionAcceptsIsCopied() {
        RegisterTaskDefinitionRequest request = PinnedTaskDefinition.copyWithImages(
                new PinnedTaskDefinition.Source(everythingSet(), List.of(tag("team", "payments"))), Map.of("app", IMAGE_URI));

        // Fails when an SDK upgrade brings a member copyWithImage does not copy yet.
        List<String> notCopied = request.sdkFields().stream()
                .filter(field -> isEmpty(field.getValueOrDefault(request)))
                .map(SdkField::memberName).toList();
        assertThat(notCopied).as("RegisterTaskDefinition members left behind").isEmpty();

        Map<String, SdkField<?>> described = everythingSet().sdkFields().stream()
                .collect(Collectors.toMap(SdkField::memberName, Function.identity()));
        for (SdkField<?> field : request.sdkFields()) {
            if (!List.of("tags", "containerDefinitions").contains(field.memberName())) {
                assertThat(field.getValueOrDefault(request)).as(field.memberName())
                        .isEqualTo(described.get(field.memberName()).getValueOrDefault(everythingSet()));
            }
        }
    }

    @Test
    void onlyTheTargetContainerGetsTheImageAndNothingElseOfItChanges() {
        TaskDefinition definition = everythingSet();

        RegisterTaskDefinitionRequest request = PinnedTaskDefinition.copyWithImages(
                new PinnedTaskDefinition.Source(definition, List.of()), Map.of("app", IMAGE_URI));

        assertThat(request.containerDefinitions().get(0))
                .isEqualTo(definition.containerDefinitions().get(0).toBuilder().image(IMAGE_URI).build());
        assertThat(request.containerDefinitions().get(1)).isEqualTo(definition.containerDefinitions().get(1));
        assertThat(request.containerDefinitions().get(2)).isEqualTo(definition.containerDefinitions().get(2));
        assertThat(request.hasTags()).isFalse();
    }

    @Test
    void everyListedContainerIsPinnedAndTheOthersKeptWhole() {
        TaskDefinition definition = everythingSet();
        ContainerImages images = new ContainerImages(List.of(
                new ContainerImages.Image(Optional.of("app"), image("api", 'b'), IMAGE_URI),
                new ContainerImages.Image(Optional.of("envoy"), image("envoy", 'c'), ENVOY_URI)));

        RegisterTaskDefinitionRequest request = PinnedTaskDefinition.copyWithImages(
                new PinnedTaskDefinition.Source(definition, List.of()),
                PinnedTaskDefinition.pins(definition, images, Optional.empty()));

        assertThat(request.containerDefinitions()).extracting(ContainerDefinition::image)
                .containsExactly(IMAGE_URI, ENVOY_URI, "datadog/agent:7");
        assertThat(request.containerDefinitions().get(1))
                .isEqualTo(definition.containerDefinitions().get(1).toBuilder().image(ENVOY_URI).build());
        assertThat(request.containerDefinitions().get(2)).isEqualTo(definition.containerDefinitions().get(2));
    }

    @Test
    void anImageWithoutContainerGoesToTheConfiguredOneAndAnUnknownContainerIsRefused() {
        TaskDefinition definition = everythingSet();

        assertThat(PinnedTaskDefinition.pins(definition, ContainerImages.single(image("api", 'b'), IMAGE_URI),
                Optional.of("app"))).containsExactly(Map.entry("app", IMAGE_URI));
        assertThatThrownBy(() -> PinnedTaskDefinition.pins(definition,
                ContainerImages.single(image("api", 'b'), IMAGE_URI), Optional.empty()))
                .isInstanceOf(ExternalFailure.class).hasMessageContaining("configure which one");
        assertThatThrownBy(() -> PinnedTaskDefinition.pins(definition, new ContainerImages(List.of(
                new ContainerImages.Image(Optional.of("worker"), image("api", 'b'), IMAGE_URI))), Optional.empty()))
                .isInstanceOf(ExternalFailure.class).hasMessageContaining("no container worker");
    }

    @Test
    void reservedAwsTagsStayBehind() {
        RegisterTaskDefinitionRequest request = PinnedTaskDefinition.copyWithImages(new PinnedTaskDefinition.Source(
                everythingSet(), List.of(tag("aws:cloudformation:stack-name", "api"), tag("AWS:x", "y"),
                tag("team", "payments"))), Map.of("app", IMAGE_URI));

        assertThat(request.tags()).containsExactly(tag("team", "payments"));
    }

    private static boolean isEmpty(Object value) {
        return value == null || (value instanceof Collection<?> collection && collection.isEmpty());
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /** A described revision with every member set, the read-only ones included. */
    private static TaskDefinition everythingSet() {
        return TaskDefinition.builder()
                .taskDefinitionArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/api:3")
                .revision(3)
                .status(TaskDefinitionStatus.ACTIVE)
                .requiresAttributes(Attribute.builder().name("ecs.capability.task-eni").build())
                .compatibilities(Compatibility.EC2, Compatibility.FARGATE)
                .registeredAt(Instant.parse("2025-01-01T00:00:00Z"))
                .registeredBy("arn:aws:iam::123456789012:role/deployer")
                .family("api")
                .containerDefinitions(
                        ContainerDefinition.builder().name("app").image("api:old").essential(true).cpu(0).build(),
                        ContainerDefinition.builder().name("envoy").image("envoy:v1").essential(false).build(),
                        ContainerDefinition.builder().name("datadog").image("datadog/agent:7").essential(false)
                                .environment(e -> e.name("DD_SITE").value("datadoghq.eu")).build())
                .taskRoleArn("arn:aws:iam::123456789012:role/api-task")
                .executionRoleArn("arn:aws:iam::123456789012:role/api-execution")
                .networkMode(NetworkMode.AWSVPC)
                .volumes(Volume.builder().name("tmp").build())
                .placementConstraints(TaskDefinitionPlacementConstraint.builder()
                        .type(TaskDefinitionPlacementConstraintType.MEMBER_OF)
                        .expression("attribute:ecs.availability-zone in [eu-west-1a]").build())
                .requiresCompatibilities(Compatibility.FARGATE)
                .cpu("256")
                .memory("512")
                .pidMode(PidMode.TASK)
                .ipcMode(IpcMode.TASK)
                .proxyConfiguration(ProxyConfiguration.builder().type(ProxyConfigurationType.APPMESH)
                        .containerName("envoy").build())
                .inferenceAccelerators(InferenceAccelerator.builder().deviceName("device").deviceType("eia2.medium").build())
                .ephemeralStorage(EphemeralStorage.builder().sizeInGiB(30).build())
                .runtimePlatform(RuntimePlatform.builder().cpuArchitecture("ARM64").build())
                .enableFaultInjection(true)
                .build();
    }
}
