package dev.deploybot.events;

import dev.deploybot.activity.BuildChange;
import dev.deploybot.activity.Change;
import dev.deploybot.activity.DeploymentChange;
import dev.deploybot.activity.ImagePushed;
import dev.deploybot.core.Progress;
import dev.deploybot.activity.Subject;
import dev.deploybot.testing.AwsEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixtures are the shapes AWS documents; each translator reads its own detail-type, quirks and all. */
class EventTranslatorsTest {

    @Test
    void aFailedBuildNamesTheFailedPhaseItsReasonAndTheLogs() {
        BuildChange build = (BuildChange) translate(new CodeBuildStateTranslator(), "codebuild-build-failed.json");

        assertThat(build.buildId()).as("the ARN's build id, as StartBuild names it")
                .isEqualTo("app-ci:8745a7a9-c340-456a-9166-edf953571bEX");
        assertThat(build.project()).isEqualTo("app-ci");
        assertThat(build.number()).as("55.0 in the event").isEqualTo(55);
        assertThat(build.status()).isEqualTo("FAILED");
        assertThat(build.progress()).isEqualTo(Progress.FAILED);
        assertThat(build.sourceVersion()).isEqualTo("refs/heads/main");
        assertThat(build.initiator()).isEqualTo("codepipeline/app-pipeline");
        assertThat(build.startedAt()).as("'Sep 1, 2017 4:12:29 PM'").isEqualTo(Instant.parse("2017-09-01T16:12:29Z"));
        assertThat(build.endedAt()).isEqualTo(Instant.parse("2017-09-01T16:14:26Z"));
        assertThat(build.duration()).contains(Duration.ofSeconds(117));
        assertThat(build.failedPhase()).isEqualTo(new BuildChange.FailedPhase("BUILD", "FAILED",
                "COMMAND_EXECUTION_ERROR: Error while executing command: ./gradlew test. Reason: exit status 1"));
        assertThat(build.logsUrl()).startsWith("https://console.aws.amazon.com/cloudwatch/").contains("app-ci");
        assertThat(build.occurredAt()).isEqualTo(Instant.parse("2017-09-01T16:14:28Z"));
    }

    @Test
    void aStartedBuildIsInProgressWithNoEndAndNoFailure() {
        BuildChange build = (BuildChange) translate(new CodeBuildStateTranslator(), "codebuild-build-in-progress.json");
        assertThat(build.progress()).isEqualTo(Progress.IN_PROGRESS);
        assertThat(build.currentPhase()).isEqualTo("SUBMITTED");
        assertThat(build.endedAt()).isNull();
        assertThat(build.failedPhase()).isNull();
        assertThat(build.duration()).isEmpty();
    }

    @Test
    void theDocumentedSuccessSampleReadsAsSucceededWithoutABuildNumber() {
        BuildChange build = (BuildChange) translate(new CodeBuildStateTranslator(), "codebuild-build-succeeded.json");
        assertThat(build.progress()).isEqualTo(Progress.SUCCEEDED);
        assertThat(build.buildId()).isEqualTo("my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX");
        assertThat(build.number()).isZero();
        assertThat(build.initiator()).isEqualTo("MyCodeBuildDemoUser");
        assertThat(build.failedPhase()).isNull();
        assertThat(build.duration()).contains(Duration.ofSeconds(117));
    }

    @Test
    void aFailedPhaseChangeUnwrapsItsContextStringButDoesNotEndTheBuild() {
        BuildChange build = (BuildChange) translate(new CodeBuildPhaseTranslator(), "codebuild-phase-failed.json");
        assertThat(build.progress()).as("the state change ends builds, not phases").isEqualTo(Progress.IN_PROGRESS);
        assertThat(build.currentPhase()).isEqualTo("POST_BUILD");
        assertThat(build.failedPhase()).isEqualTo(new BuildChange.FailedPhase("BUILD", "FAILED",
                "COMMAND_EXECUTION_ERROR: Error while executing command: ./gradlew test. Reason: exit status 1"));
        assertThat(CodeBuildPhases.contextMessage("[: ]")).isNull();
        assertThat(CodeBuildPhases.contextMessage("[]")).isNull();
    }

    @Test
    void aCodeDeployFailureIsAFailedDeploymentOfItsApplication() {
        DeploymentChange deployment = (DeploymentChange) translate(new CodeDeployTranslator(), "codedeploy-deployment-failure.json");
        assertThat(deployment.subject()).isEqualTo(new Subject(Subject.Kind.CODEDEPLOY, "d-4XYZ12345"));
        assertThat(deployment.scope()).isEqualTo("app-prd");
        assertThat(deployment.name()).isEqualTo("app-prd-group");
        assertThat(deployment.state()).isEqualTo("FAILURE");
        assertThat(deployment.progress()).isEqualTo(Progress.FAILED);
    }

    @Test
    void anEcsDeploymentNamesClusterAndServiceFromTheServiceArn() {
        DeploymentChange failed = (DeploymentChange) translate(new EcsDeploymentTranslator(), "ecs-deployment-failed.json");
        assertThat(failed.subject()).isEqualTo(new Subject(Subject.Kind.ECS, "ecs-svc/123"));
        assertThat(failed.scope()).isEqualTo("default");
        assertThat(failed.name()).isEqualTo("servicetest");
        assertThat(failed.progress()).isEqualTo(Progress.FAILED);
        assertThat(failed.reason()).isEqualTo("ECS deployment circuit breaker: task failed to start.");

        AwsEvent oldArn = AwsEvent.fixture("ecs-deployment-in-progress.json")
                .withResources("arn:aws:ecs:eu-west-1:111122223333:service/servicetest");
        DeploymentChange inProgress = (DeploymentChange) new EcsDeploymentTranslator()
                .translate(EventEnvelope.parse(oldArn.toString())).orElseThrow();
        assertThat(inProgress.scope()).as("the old ARN format has no cluster").isNull();
        assertThat(inProgress.name()).isEqualTo("servicetest");
        assertThat(inProgress.progress()).isEqualTo(Progress.IN_PROGRESS);
    }

    @Test
    void onlySuccessfulPushesOfATagAreImageNews() {
        ImagePushed pushed = (ImagePushed) translate(new EcrImageTranslator(), "ecr-image-push.json");
        assertThat(pushed.repository()).isEqualTo("team/app");
        assertThat(pushed.tag()).isEqualTo("latest");
        assertThat(pushed.digest()).startsWith("sha256:7f5b2640");

        AwsEvent delete = AwsEvent.fixture("ecr-image-push.json").withDetail("action-type", "DELETE");
        assertThat(new EcrImageTranslator().translate(EventEnvelope.parse(delete.toString()))).isEmpty();
    }

    @Test
    void envelopesWithoutTheBasicsAreMalformed() {
        for (String body : new String[]{"not json", "[]", "{}", "{\"id\":\"x\",\"detail-type\":\"A\",\"source\":\"s\",\"time\":\"2020-01-01T00:00:00Z\"}",
                "{\"id\":\"a b\",\"detail-type\":\"A\",\"source\":\"s\",\"time\":\"2020-01-01T00:00:00Z\",\"detail\":{}}",
                "{\"id\":\"x\",\"detail-type\":\"A\",\"source\":\"s\",\"time\":\"yesterday\",\"detail\":{}}"}) {
            assertThatThrownBy(() -> EventEnvelope.parse(body)).isInstanceOf(MalformedEvent.class);
        }
        AwsEvent noBuildId = AwsEvent.fixture("codebuild-build-failed.json").withDetail("build-id", "");
        assertThatThrownBy(() -> new CodeBuildStateTranslator().translate(EventEnvelope.parse(noBuildId.toString())))
                .isInstanceOf(MalformedEvent.class).hasMessageContaining("build-id");
    }

    private static Change translate(EventTranslator translator, String fixture) {
        EventEnvelope envelope = EventEnvelope.parse(AwsEvent.fixture(fixture).toString());
        assertThat(envelope.detailType()).isEqualTo(translator.detailType());
        Optional<Change> change = translator.translate(envelope);
        assertThat(change).isPresent();
        return change.get();
    }
}
