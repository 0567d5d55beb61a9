package dev.deploybot.aws;

import dev.deploybot.core.Environment;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.core.Progress;
import dev.deploybot.deploy.ServiceDeployer;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

import java.util.Map;
import java.util.Optional;

/**
 * Rolling update of an ECS service: register the revision pinning every released container, point the service at it, and follow the
 * deployment ECS starts for it. ECS's circuit breaker rolls a failed deployment back to a steady service,
 * so "the service is stable" never means "the release succeeded": only our deployment's own state does.
 */
@Singleton
public class EcsServiceDeployer implements ServiceDeployer {
    private static final String SERVICE = EcsServices.SERVICE;
    private static final String FAILED_EVENT = ") deployment failed: ";

    private final Provider<EcsClient> ecs;
    private final EcsServices services;
    private final PinnedTaskDefinition taskDefinitions;

    public EcsServiceDeployer(Provider<EcsClient> ecs) {
        this.ecs = ecs;
        this.services = new EcsServices(ecs);
        this.taskDefinitions = new PinnedTaskDefinition(ecs);
    }

    @Override
    public Environment.Strategy strategy() {
        return Environment.Strategy.ECS;
    }

    @Override
    public DeploymentHandle start(Environment.DeploySettings settings, ContainerImages images, String requestId) {
        Deployment primary = EcsServices.requirePrimary(services.describe(settings.cluster(), settings.service()));
        PinnedTaskDefinition.Source running = taskDefinitions.describe(primary.taskDefinition());
        Map<String, String> pins = PinnedTaskDefinition.pins(running.definition(), images, settings.container());
        if (running.runs(pins)) {
            // Started before a restart (or already live): follow that deployment rather than start another.
            return new DeploymentHandle(primary.id(), primary.taskDefinition());
        }
        String revision = taskDefinitions.revisionRunning(running, pins);
        Service updated;
        try {
            updated = ecs.get().updateService(r -> r.cluster(settings.cluster()).service(settings.service())
                    .taskDefinition(revision)).service();
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        return new DeploymentHandle(EcsServices.requirePrimary(updated).id(), revision);
    }

    @Override
    public DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle) {
        Service service = services.describe(settings.cluster(), settings.service());
        Optional<Deployment> ours = service.deployments().stream().filter(d -> d.id().equals(handle.id())).findFirst();
        if (ours.isPresent() && ours.get().rolloutState() == DeploymentRolloutState.FAILED) {
            return new DeploymentStatus(Progress.FAILED, progress(ours.get()), reason(ours.get()));
        }
        if (ours.isPresent() && "PRIMARY".equals(ours.get().status())) {
            return statusOfPrimary(service, ours.get());
        }
        Optional<Deployment> primary = EcsServices.primary(service);
        if (primary.isPresent() && primary.get().taskDefinition().equals(handle.revision())) {
            // Someone forced a new deployment of our revision: its outcome is ours.
            return statusOfPrimary(service, primary.get());
        }
        String now = primary.map(p -> "; the service runs " + p.taskDefinition()).orElse("");
        return new DeploymentStatus(Progress.FAILED, ours.map(this::progress).orElse("0 tasks running"),
                "rolled back: " + failureEvent(service, handle.id()).orElse("deployment " + handle.id()
                        + " is no longer the service's primary deployment" + now));
    }

    private DeploymentStatus statusOfPrimary(Service service, Deployment deployment) {
        String progress = progress(deployment);
        DeploymentRolloutState state = deployment.rolloutState();
        if (state == DeploymentRolloutState.COMPLETED) {
            return new DeploymentStatus(Progress.SUCCEEDED, progress, null);
        }
        if (state == DeploymentRolloutState.FAILED) {
            return new DeploymentStatus(Progress.FAILED, progress, reason(deployment));
        }
        // ECS leaves rolloutState out for some services (e.g. behind a Classic Load Balancer): steady state then
        // means all tasks of the only deployment run.
        boolean steady = state == null && service.deployments().size() == 1
                && deployment.runningCount().equals(deployment.desiredCount());
        return new DeploymentStatus(steady ? Progress.SUCCEEDED : Progress.IN_PROGRESS, progress, null);
    }

    private String progress(Deployment deployment) {
        return deployment.runningCount() + "/" + deployment.desiredCount() + " tasks running";
    }

    private static String reason(Deployment deployment) {
        String reason = deployment.rolloutStateReason();
        return reason == null || reason.isBlank() ? "deployment " + deployment.id() + " failed" : reason;
    }

    /** Once ECS drops a rolled-back deployment from the list, only the service events still say why. */
    private static Optional<String> failureEvent(Service service, String deploymentId) {
        return service.events().stream().map(ServiceEvent::message)
                .filter(m -> m != null && m.contains("(deployment " + deploymentId + FAILED_EVENT))
                .map(m -> m.substring(m.indexOf(FAILED_EVENT) + FAILED_EVENT.length()))
                .findFirst();
    }

    /** Nothing to do: ECS replaces an in-flight deployment when the service is updated again, which the rollback does. */
    @Override
    public void stop(Environment.DeploySettings settings, DeploymentHandle handle) {
    }

    @Override
    public Optional<String> runningDigest(Environment.DeploySettings settings) {
        return taskDefinitions.pinnedDigest(services.describe(settings.cluster(), settings.service()).taskDefinition(),
                settings.container());
    }
}
