package dev.deploybot.aws;

import dev.deploybot.core.ExternalFailure;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The task definition revision a release puts into service: the running one, copied field by field, with one
 * container's image pinned to a digest. Shared by the rolling (ECS) and blue/green (CodeDeploy) deployers.
 */
final class PinnedTaskDefinition {
    private static final String SERVICE = EcsServices.SERVICE;

    private final EcsClient ecs;
    /** Revisions registered by this process, by family and image, so a retried start registers no second copy. */
    private final java.util.Map<String, String> registered = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, String> eldest) {
                    return size() > 100;
                }
            });

    PinnedTaskDefinition(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** A described revision, its tags, and the container a release replaces in it. */
    record Source(TaskDefinition definition, List<Tag> tags, String container) {
        String arn() {
            return definition.taskDefinitionArn();
        }

        String image() {
            return definition.containerDefinitions().stream().filter(c -> c.name().equals(container))
                    .map(ContainerDefinition::image).findFirst().orElseThrow();
        }

        boolean runs(String imageUri) {
            return imageUri.equals(image());
        }
    }

    /** The digest the target container of a revision is pinned to, if it is pinned by digest. */
    Optional<String> pinnedDigest(String taskDefinition, Optional<String> configuredContainer) {
        String image = describe(taskDefinition, configuredContainer).image();
        int at = image.indexOf("@sha256:");
        return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
    }

    /** @param taskDefinition an ARN or {@code family[:revision]} */
    Source describe(String taskDefinition, Optional<String> configuredContainer) {
        DescribeTaskDefinitionResponse response;
        try {
            response = ecs.describeTaskDefinition(r -> r.taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        TaskDefinition definition = response.taskDefinition();
        return new Source(definition, response.tags(), targetContainer(definition, configuredContainer));
    }

    /**
     * A revision of the source's family that runs {@code imageUri}: the source itself if it does; the revision this
     * process registered for it already (a start retried after the service update failed); otherwise a new copy.
     * Only a crash between registering and updating the service registers one more identical revision: harmless,
     * and cheaper than describing the family's latest revision on every release.
     */
    String revisionRunning(Source source, String imageUri) {
        if (source.runs(imageUri)) {
            return source.arn();
        }
        String key = source.definition().family() + "@" + imageUri;
        String registered = this.registered.get(key);
        if (registered != null) {
            return registered;
        }
        try {
            String arn = ecs.registerTaskDefinition(copyWithImage(source, imageUri)).taskDefinition().taskDefinitionArn();
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
     */
    static RegisterTaskDefinitionRequest copyWithImage(Source source, String imageUri) {
        TaskDefinition definition = source.definition();
        List<ContainerDefinition> containers = definition.containerDefinitions().stream()
                .map(c -> c.name().equals(source.container()) ? c.toBuilder().image(imageUri).build() : c)
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

    private static String targetContainer(TaskDefinition definition, Optional<String> configured) {
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
