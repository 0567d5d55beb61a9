package dev.deploybot.aws;

import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.core.Progress;
import dev.deploybot.deploy.ServiceDeployer;
import jakarta.inject.Singleton;
import jakarta.inject.Provider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.model.BatchGetBuildsResponse;
import software.amazon.awssdk.services.codebuild.model.Build;
import software.amazon.awssdk.services.codebuild.model.BuildPhase;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariable;
import software.amazon.awssdk.services.codebuild.model.EnvironmentVariableType;
import software.amazon.awssdk.services.codebuild.model.PhaseContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Release through a production CodeBuild project that does the deploying itself (e.g. CDK or Terraform): the
 * pinned images go in as environment variables; the build's outcome is the release's. The default image keeps the
 * names single-image projects know ({@code IMAGE_URI}…); every image with a container is also
 * {@code IMAGE_URI_<CONTAINER>}, the container's name upper-cased with anything but letters and digits as {@code _}.
 */
@Singleton
public class CodeBuildServiceDeployer implements ServiceDeployer {
    private static final String SERVICE = "CodeBuild";
    private static final Set<String> FAILED = Set.of("FAILED", "FAULT", "TIMED_OUT", "STOPPED");

    private final Provider<CodeBuildClient> codeBuild;

    public CodeBuildServiceDeployer(Provider<CodeBuildClient> codeBuild) {
        this.codeBuild = codeBuild;
    }

    @Override
    public Environment.Strategy strategy() {
        return Environment.Strategy.CODEBUILD;
    }

    @Override
    public DeploymentHandle start(Environment.DeploySettings settings, ContainerImages images, String requestId) {
        ContainerImages.Image primary = images.primary();
        List<EnvironmentVariable> variables = new ArrayList<>(List.of(
                variable("IMAGE_URI", primary.uri()),
                variable("IMAGE_DIGEST", primary.image().digest()),
                variable("IMAGE_REPOSITORY", primary.image().repository()),
                variable("RELEASE_ID", requestId)));
        for (ContainerImages.Image image : images.images()) {
            image.container().ifPresent(container -> variables.add(variable("IMAGE_URI_"
                    + container.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), image.uri())));
        }
        try {
            // No sourceVersion: the project deploys from its configured source; only the image changes.
            Build build = codeBuild.get().startBuild(r -> r.projectName(settings.project())
                    .environmentVariablesOverride(variables)
                    .idempotencyToken("release-" + requestId)).build();
            return new DeploymentHandle(build.id(), primary.uri());
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
    }

    @Override
    public DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle) {
        BatchGetBuildsResponse response;
        try {
            response = codeBuild.get().batchGetBuilds(r -> r.ids(handle.id()));
        } catch (SdkException e) {
            throw AwsFailures.translate(SERVICE, e);
        }
        if (response.builds().isEmpty()) {
            throw new ExternalFailure(SERVICE, "BuildNotFound", "build " + handle.id() + " not found", false, null);
        }
        Build build = response.builds().get(0);
        String status = build.buildStatusAsString();
        String phase = build.currentPhase() == null ? "SUBMITTED" : build.currentPhase();
        if ("SUCCEEDED".equals(status)) {
            return new DeploymentStatus(Progress.SUCCEEDED, phase, null);
        }
        if (FAILED.contains(status)) {
            return new DeploymentStatus(Progress.FAILED, phase, failure(build));
        }
        return new DeploymentStatus(Progress.IN_PROGRESS, phase, null);
    }

    private static String failure(Build build) {
        Optional<BuildPhase> failed = build.phases().stream()
                .filter(p -> p.phaseStatusAsString() != null && !"SUCCEEDED".equals(p.phaseStatusAsString()))
                .findFirst();
        if (failed.isEmpty()) {
            return "build " + build.buildStatusAsString();
        }
        String message = failed.get().contexts().stream().map(PhaseContext::message)
                .filter(m -> m != null && !m.isBlank()).findFirst()
                .orElse(failed.get().phaseStatusAsString());
        return "phase " + failed.get().phaseTypeAsString() + " failed: " + message;
    }

    private static EnvironmentVariable variable(String name, String value) {
        return EnvironmentVariable.builder().name(name).value(value).type(EnvironmentVariableType.PLAINTEXT).build();
    }

    @Override
    public void stop(Environment.DeploySettings settings, DeploymentHandle handle) {
        try {
            codeBuild.get().stopBuild(r -> r.id(handle.id()));
        } catch (SdkException e) {
            throw AwsFailures.translate("CodeBuild", e);
        }
    }
}
