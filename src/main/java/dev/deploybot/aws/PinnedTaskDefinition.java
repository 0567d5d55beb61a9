package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import dev.deploybot.deploy.ContainerImages;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The task definition revision a release puts into service: the running one, copied field by field, with every
 * released container's image pinned to its digest and every other container left as it is. Shared by the rolling
 * (ECS) and blue/green (CodeDeploy) deployers and by the migration task.
 */
final class PinnedTaskDefinition {
    private static final String SERVICE = EcsServices.SERVICE;

    private final Provider<EcsClient> ecs;
    /** Revisions registered by this process, by family and images, so a retried start registers no second copy. */
    private final Map<String, String> registered = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > 100;
                }
            });

    PinnedTaskDefinition(Provider<EcsClient> ecs) {
        this.ecs = ecs;
    }

    /** A described revision and its tags. */
    record Source(TaskDefinition definition, List<Tag> tags) {
        String arn() {
            return definition.taskDefinitionArn();
        }

        Optional<String> image(String container) {
            return definition.containerDefinitions().stream().filter(c -> c.name().equals(container))
                    .map(ContainerDefinition::image).findFirst();
        }

        /** Whether every pinned container already runs its image. */
        boolean runs(Map<String, String> pins) {
            return pins.entrySet().stream().allMatch(pin -> image(pin.getKey()).filter(pin.getValue()::equals).isPresent());
        }
    }

    /** The digest a container of a revision is pinned to, if it is pinned by digest. */
    Optional<String> pinnedDigest(String taskDefinition, Optional<String> configuredContainer) {
        Source source = describe(taskDefinition);
        String image = source.image(container(source.definition(), configuredContainer)).orElseThrow();
        int at = image.indexOf("@sha256:");
        return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
    }

    /** @param taskDefinition an ARN or {@code family[:revision]} */
    Source describe(String taskDefinition) {
        DescribeTaskDefinitionResponse response;
        try {
            response = ecs.get().describeTaskDefinition(r -> r.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        return new Source(response.taskDefinition(), response.tags());
    }

    /**
     * Which container gets which image, by name, in the order the release lists them. An image that names no
     * container goes to {@code defaultContainer}, or to the task definition's only container.
     *
     * @throws ExternalFailure when a named container is not in the task definition, or none is named and there are several
     */
    static Map<String, String> pins(TaskDefinition definition, ContainerImages images, Optional<String> defaultContainer) {
        Map<String, String> pins = new LinkedHashMap<>();
        for (ContainerImages.Image image : images.images()) {
            pins.put(container(definition, image.container().or(() -> defaultContainer)), image.uri());
        }
        return pins;
    }

    /**
     * A revision of the source's family that runs the pinned images: the source itself if it does; the revision
     * this process registered for them already (a start retried after the service update failed); otherwise a
     * new copy. Only a crash between registering and updating the service registers one more identical
     * revision: harmless, and cheaper than describing the family's latest revision on every release.
     */
    String revisionRunning(Source source, Map<String, String> pins) {
        if (source.runs(pins)) {
            return source.arn();
        }
        String key = source.definition().family() + "@" + pins;
        String registered = this.registered.get(key);
        if (registered != null) {
            return registered;
        }
        try {
            String arn = ecs.get().registerTaskDefinition(copyWithImages(source, pins)).taskDefinition().taskDefinitionArn();
            this.registered.put(key, arn);
            return arn;
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    /**
     * Every member RegisterTaskDefinition accepts, taken from the described revision. The read-only ones
     * (ARN, revision, status, compatibilities, registeredAt…) have no place in the request, and tags with the
     * reserved {@code aws:} prefix (CloudFormation's) cannot be registered, so both stay behind.
     *
     * @param pins container name → image URI; containers not named keep their image and every other setting
     */
    static RegisterTaskDefinitionRequest copyWithImages(Source source, Map<String, String> pins) {
        TaskDefinition definition = source.definition();
        List<ContainerDefinition> containers = definition.containerDefinitions().stream()
                .map(c -> pins.containsKey(c.name()) ? c.toBuilder().image(pins.get(c.name())).build() : c)
                .toList();
        RegisterTaskDefinitionRequest.Builder request = RegisterTaskDefinitionRequest.builder()
                .family(definition.family())
                .containerDefinitions(containers)
                .taskRoleArn(definition.taskRoleArn())
                .executionRoleArn(definition.executionRoleArn())
                .networkMode(definition.networkModeAsString())
                .volumes(definition.volumes())
                .placementConstraints(definition.placementConstraints())
                .requiresCompatibilitiesWithStrings(definition.requiresCompatibilitiesAsStrings())
                .cpu(definition.cpu())
                .memory(definition.memory())
                .pidMode(definition.pidModeAsString())
                .ipcMode(definition.ipcModeAsString())
                .proxyConfiguration(definition.proxyConfiguration())
                .inferenceAccelerators(definition.inferenceAccelerators())
                .ephemeralStorage(definition.ephemeralStorage())
                .runtimePlatform(definition.runtimePlatform())
                .enableFaultInjection(definition.enableFaultInjection());
        List<Tag> tags = source.tags().stream()
                .filter(tag -> !tag.key().toLowerCase(Locale.ROOT).startsWith("aws:"))
                .toList();
        if (!tags.isEmpty()) {
            request.tags(tags);
        }
        return request.build();
    }

    static String container(TaskDefinition definition, Optional<String> configured) {
        List<String> names = definition.containerDefinitions().stream().map(ContainerDefinition::name).toList();
        if (configured.isPresent()) {
            if (!names.contains(configured.get())) {
                throw new ExternalFailure(SERVICE, "ContainerNotFound", "task definition " + definition.taskDefinitionArn()
                        + " has no container " + configured.get() + "; it has " + names, false, null);
            }
            return configured.get();
        }
        if (names.size() != 1) {
            throw new ExternalFailure(SERVICE, "ContainerNotConfigured", "task definition "
                    + definition.taskDefinitionArn() + " has containers " + names
                    + "; configure which one the release replaces", false, null);
        }
        return names.get(0);
    }
}
