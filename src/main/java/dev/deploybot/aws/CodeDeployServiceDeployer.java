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
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.DeploymentInfo;
import software.amazon.awssdk.services.codedeploy.model.DeploymentLimitExceededException;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocation;
import software.amazon.awssdk.services.codedeploy.model.RevisionLocationType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Blue/green release through CodeDeploy: register the pinned revision, then hand CodeDeploy an AppSpec naming
 * it. CreateDeployment has no idempotency token, so after a restart the group's active deployment of the same
 * AppSpec is taken as ours instead of failing on the one-deployment-per-group limit.
 */
@Singleton
public class CodeDeployServiceDeployer implements ServiceDeployer {
    private static final String SERVICE = "CodeDeploy";
    private static final List<String> ACTIVE_STATUSES = List.of("Created", "Queued", "InProgress", "Baking", "Ready");

    private final Provider<CodeDeployClient> codeDeploy;
    private final EcsServices services;
    private final PinnedTaskDefinition taskDefinitions;

    public CodeDeployServiceDeployer(Provider<EcsClient> ecs, Provider<CodeDeployClient> codeDeploy) {
        this.codeDeploy = codeDeploy;
        this.services = new EcsServices(ecs);
        this.taskDefinitions = new PinnedTaskDefinition(ecs);
    }

    @Override
    public Environment.Strategy strategy() {
        return Environment.Strategy.CODEDEPLOY;
    }

    @Override
    public DeploymentHandle start(Environment.DeploySettings settings, ContainerImages images, String requestId) {
        Service service = services.describe(settings.cluster(), settings.service());
        PinnedTaskDefinition.Source running = taskDefinitions.describe(service.taskDefinition());
        Map<String, String> pins = PinnedTaskDefinition.pins(running.definition(), images, settings.container());
        String revision = taskDefinitions.revisionRunning(running, pins);
        // The load balancer routes to the configured container (required for codedeploy), whichever images moved.
        String routed = PinnedTaskDefinition.container(running.definition(), settings.container());
        EcsAppSpec appSpec = new EcsAppSpec(revision, routed, settings.containerPort());
        try {
            String id = codeDeploy.get().createDeployment(r -> r.applicationName(settings.application())
                    .deploymentGroupName(settings.deploymentGroup())
                    .deploymentConfigName(settings.deploymentConfig().orElse(null))
                    .description(description(requestId, images))
                    .revision(revision(appSpec))).deploymentId();
            return new DeploymentHandle(id, revision);
        } catch (DeploymentLimitExceededException e) {
            return activeDeploymentOf(settings, appSpec).map(id -> new DeploymentHandle(id, revision))
                    .orElseThrow(() -> AwsFailures.translate(SERVICE, e));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    @Override
    public DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle) {
        DeploymentInfo info = deployment(handle.id());
        String status = info.statusAsString();
        return switch (status) {
            case "Succeeded" -> new DeploymentStatus(Progress.SUCCEEDED, status, null);
            case "Failed", "Stopped" -> new DeploymentStatus(Progress.FAILED, status, failure(handle, info));
            default -> new DeploymentStatus(Progress.IN_PROGRESS, status, null);
        };
    }

    /** CodeDeploy's own reason; when it rolled the deployment back by itself (alarm or failure), that is said too. */
    private static String failure(DeploymentHandle handle, DeploymentInfo info) {
        String reason = info.errorInformation() != null && info.errorInformation().message() != null
                ? info.errorInformation().message()
                : "deployment " + handle.id() + " " + info.statusAsString().toLowerCase(Locale.ROOT);
        if (info.rollbackInfo() != null && info.rollbackInfo().rollbackDeploymentId() != null) {
            return reason + " CodeDeploy rolled back with deployment " + info.rollbackInfo().rollbackDeploymentId() + ".";
        }
        return reason;
    }

    private static String description(String requestId, ContainerImages images) {
        int others = images.images().size() - 1;
        return "deploybot release " + requestId + ": " + images.primary().uri()
                + (others == 0 ? "" : " and " + others + " more image" + (others == 1 ? "" : "s"));
    }

    private static RevisionLocation revision(EcsAppSpec appSpec) {
        return RevisionLocation.builder().revisionType(RevisionLocationType.APP_SPEC_CONTENT)
                .appSpecContent(c -> c.content(appSpec.content()).sha256(appSpec.sha256()))
                .build();
    }

    private Optional<String> activeDeploymentOf(Environment.DeploySettings settings, EcsAppSpec appSpec) {
        try {
            List<String> active = codeDeploy.get().listDeployments(r -> r.applicationName(settings.application())
                    .deploymentGroupName(settings.deploymentGroup())
                    .includeOnlyStatusesWithStrings(ACTIVE_STATUSES)).deployments();
            return active.stream().filter(id -> deploys(deployment(id), appSpec)).findFirst();
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    private static boolean deploys(DeploymentInfo info, EcsAppSpec appSpec) {
        RevisionLocation revision = info.revision();
        if (revision == null || revision.appSpecContent() == null) {
            return false;
        }
        return appSpec.sha256().equalsIgnoreCase(revision.appSpecContent().sha256())
                || appSpec.content().equals(revision.appSpecContent().content());
    }

    private DeploymentInfo deployment(String id) {
        try {
            return codeDeploy.get().getDeployment(r -> r.deploymentId(id)).deploymentInfo();
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    @Override
    public void stop(Environment.DeploySettings settings, DeploymentHandle handle) {
        try {
            codeDeploy.get().stopDeployment(r -> r.deploymentId(handle.id()).autoRollbackEnabled(true));
        } catch (software.amazon.awssdk.services.codedeploy.model.DeploymentAlreadyCompletedException done) {
            // Nothing left to stop.
        } catch (SdkException e) {
            throw AwsFailures.translate("CodeDeploy", e);
        }
    }

    @Override
    public Optional<String> runningDigest(Environment.DeploySettings settings) {
        return taskDefinitions.pinnedDigest(services.describe(settings.cluster(), settings.service()).taskDefinition(),
                settings.container());
    }
}
