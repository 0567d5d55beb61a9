package dev.deploybot.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.Strategy;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.ImageRef;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.core.Progress;
import dev.deploybot.testing.FakeAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeBuildServiceDeployerTest {

    private static final String PROJECT = "prod-deploy";
    private static final String REPOSITORY = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/api";
    private static final ImageRef IMAGE = new ImageRef(REPOSITORY, "sha256:" + "e".repeat(64));
    private static final String IMAGE_URI = REPOSITORY + "@" + IMAGE.digest();
    private static final DeploySettings SETTINGS = new DeploySettings(Strategy.CODEBUILD, null, null,
            Optional.empty(), 0, null, null, PROJECT, Duration.ofMinutes(30));

    private FakeAws fake;
    private CodeBuildClient codeBuild;
    private CodeBuildServiceDeployer deployer;

    @BeforeEach
    void start() {
        fake = FakeAws.start();
        fake.codeBuild().createProject(PROJECT);
        codeBuild = fake.client(CodeBuildClient.builder());
        deployer = new CodeBuildServiceDeployer(() -> codeBuild);
    }

    @AfterEach
    void stop() {
        codeBuild.close();
        fake.close();
    }

    @Test
    void everyImageWithAContainerIsAlsoNamedByItsContainer() {
        String sidecarRepository = "111111111111.dkr.ecr.eu-west-1.amazonaws.com/log-router";
        ImageRef sidecar = new ImageRef(sidecarRepository, "sha256:" + "f".repeat(64));

        deployer.start(SETTINGS, new ContainerImages(List.of(
                new ContainerImages.Image(Optional.of("app"), IMAGE, IMAGE_URI),
                new ContainerImages.Image(Optional.of("log-router"), sidecar, sidecarRepository + "@" + sidecar.digest()))),
                "r-42");

        Map<String, String> variables = new LinkedHashMap<>();
        fake.codeBuild().startedBuilds().get(0).at("/environment/environmentVariables")
                .forEach(v -> variables.put(v.get("name").asText(), v.get("value").asText()));
        assertThat(variables).containsEntry("IMAGE_URI", IMAGE_URI)
                .containsEntry("IMAGE_URI_APP", IMAGE_URI)
                .containsEntry("IMAGE_URI_LOG_ROUTER", sidecarRepository + "@" + sidecar.digest());
    }

    @Test
    void startsTheProjectWithThePinnedImageInItsEnvironment() {
        DeploymentHandle handle = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-42");

        JsonNode build = fake.codeBuild().startedBuilds().get(0);
        assertThat(handle).isEqualTo(new DeploymentHandle(build.get("id").asText(), IMAGE_URI));
        assertThat(build.get("projectName").asText()).isEqualTo(PROJECT);
        assertThat(build.has("sourceVersion")).as("deploys from the project's own source").isFalse();
        Map<String, String> variables = new LinkedHashMap<>();
        build.at("/environment/environmentVariables").forEach(v -> variables.put(v.get("name").asText(), v.get("value").asText()));
        assertThat(variables).containsExactlyInAnyOrderEntriesOf(Map.of(
                "IMAGE_URI", IMAGE_URI,
                "IMAGE_DIGEST", IMAGE.digest(),
                "IMAGE_REPOSITORY", REPOSITORY,
                "RELEASE_ID", "r-42"));
        assertThat(fake.calls("CodeBuild_20161006.StartBuild").get(0).request().get("idempotencyToken").asText())
                .contains("r-42");
    }

    @Test
    void startingTheSameReleaseAgainSoonIsTheSameBuild() {
        DeploymentHandle first = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-42");

        DeploymentHandle again = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-42");

        assertThat(again).isEqualTo(first);
        assertThat(fake.codeBuild().startedBuilds()).hasSize(1);
    }

    @Test
    void checkFollowsTheBuildToSuccess() {
        DeploymentHandle handle = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-42");

        DeploymentStatus queued = deployer.check(SETTINGS, handle);
        fake.codeBuild().completeBuild(handle.id(), "SUCCEEDED");
        DeploymentStatus succeeded = deployer.check(SETTINGS, handle);

        assertThat(queued).isEqualTo(new DeploymentStatus(Progress.IN_PROGRESS, "QUEUED", null));
        assertThat(succeeded).isEqualTo(new DeploymentStatus(Progress.SUCCEEDED, "COMPLETED", null));
    }

    @Test
    void failedBuildNamesThePhaseAndItsMessage() {
        DeploymentHandle failing = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-42");
        fake.codeBuild().completeBuild(failing.id(), "FAILED", "BUILD", "cdk deploy: stack api is in UPDATE_ROLLBACK_COMPLETE");
        DeploymentHandle timingOut = deployer.start(SETTINGS, ContainerImages.single(IMAGE, IMAGE_URI), "r-43");
        fake.codeBuild().completeBuild(timingOut.id(), "TIMED_OUT", "POST_BUILD", null);

        assertThat(deployer.check(SETTINGS, failing)).isEqualTo(new DeploymentStatus(Progress.FAILED, "COMPLETED",
                "phase BUILD failed: cdk deploy: stack api is in UPDATE_ROLLBACK_COMPLETE"));
        assertThat(deployer.check(SETTINGS, timingOut).failure()).isEqualTo("phase POST_BUILD failed: Build has timed out.");
    }

    @Test
    void unknownProjectAndBuildAreFailures() {
        DeploySettings noProject = new DeploySettings(Strategy.CODEBUILD, null, null, Optional.empty(), 0, null, null,
                "nope", Duration.ofMinutes(30));

        assertThatThrownBy(() -> deployer.start(noProject, ContainerImages.single(IMAGE, IMAGE_URI), "r-42"))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo("ResourceNotFoundException");
                    assertThat(failure.retryable()).isFalse();
                });
        assertThatThrownBy(() -> deployer.check(SETTINGS, new DeploymentHandle(PROJECT + ":gone", IMAGE_URI)))
                .isInstanceOfSatisfying(ExternalFailure.class, failure -> assertThat(failure.code()).isEqualTo("BuildNotFound"));
    }
}
