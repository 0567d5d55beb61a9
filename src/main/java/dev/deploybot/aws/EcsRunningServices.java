package dev.deploybot.aws;

import dev.deploybot.core.Environment;
import dev.deploybot.release.RunningServices;
import dev.deploybot.release.ServiceSnapshot;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/** DescribeServices for the PRIMARY deployment, DescribeTaskDefinition for the digest its container is pinned to. */
@Singleton
public class EcsRunningServices implements RunningServices {
    private final EcsServices services;
    private final PinnedTaskDefinition taskDefinitions;

    public EcsRunningServices(Provider<EcsClient> ecs) {
        this.services = new EcsServices(ecs);
        this.taskDefinitions = new PinnedTaskDefinition(ecs);
    }

    @Override
    public ServiceSnapshot snapshot(Environment.DeploySettings deploy) {
        Service service = services.describe(deploy.cluster(), deploy.service());
        Deployment primary = EcsServices.requirePrimary(service);
        String taskDefinition = primary.taskDefinition();
        String rollout = primary.rolloutStateAsString() == null ? "UNKNOWN" : primary.rolloutStateAsString();
        return new ServiceSnapshot(taskDefinitions.pinnedDigest(taskDefinition, deploy.container()),
                taskDefinition.substring(taskDefinition.lastIndexOf('/') + 1), rollout,
                primary.runningCount() == null ? 0 : primary.runningCount(),
                primary.desiredCount() == null ? 0 : primary.desiredCount(), primary.createdAt(), primary.updatedAt());
    }
}
