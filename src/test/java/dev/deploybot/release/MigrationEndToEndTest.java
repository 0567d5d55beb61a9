package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeEcs;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.LEAD;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A release whose environment runs a migration task after the tags moved and before the deployment. */
class MigrationEndToEndTest {
    private static final String RUN_TASK = FakeEcs.TARGET_PREFIX + ".RunTask";

    private FakeSlack slack;
    private FakeAws aws;
    private DeploybotApp app;
    private ReleaseScenario prd;

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        prd = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        Map<String, Object> config = new HashMap<>(prd.environment("prd", "ecs", Map.of("cluster", CLUSTER, "service", "web", "container", "web",
                "migration.container", "web", "migration.command", List.of("bin/migrate", "up"))));
        app = ReleaseScenario.app(slack, aws, config);
    }

    @AfterEach
    void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @Test
    void exitZeroStartsTheDeploymentOfTheImageTheMigrationRan() {
        SlackMessage request = approvedRelease();

        JsonNode task = migrationTask();
        prd.awaitMessage(request, "migrating…");
        assertThat(task.at("/overrides/containerOverrides/0/command")).extracting(JsonNode::asText)
                .containsExactly("bin/migrate", "up");
        String pinned = aws.ecs().taskDefinition(task.get("taskDefinitionArn").asText()).orElseThrow()
                .at("/containerDefinitions/0/image").asText();
        assertThat(pinned).isEqualTo(FakeEcr.repositoryUri("app") + "@" + prd.candidate);
        assertThat(prd.tag("release")).as("the tags moved first").isEqualTo(prd.candidate);
        assertThat(aws.ecs().updateServiceCalls()).as("nothing deployed while migrating").isEmpty();

        aws.ecs().exitTask(task.get("taskArn").asText(), 0);

        await().until(() -> !aws.ecs().updateServiceCalls().isEmpty());
        JsonNode deployed = aws.ecs().taskDefinition(aws.ecs().updateServiceCalls().get(0).get("taskDefinition").asText())
                .orElseThrow();
        assertThat(deployed.at("/containerDefinitions/0/image").asText()).as("the image the migration ran").isEqualTo(pinned);
        aws.ecs().completeDeployment(CLUSTER, "web");
        prd.awaitMessage(request, "Succeeded");
        assertThat(aws.calls(RUN_TASK)).hasSize(1);
    }

    @Test
    void aFailedMigrationFailsTheReleaseRestoresTheTagsAndDeploysNothing() {
        SlackMessage request = approvedRelease();
        JsonNode task = migrationTask();
        String taskArn = task.get("taskArn").asText();

        aws.ecs().exitTask(taskArn, 1);

        SlackMessage failed = prd.awaitMessage(request, "Failed");
        assertThat(failed.allText()).contains("exit code 1");
        await().until(() -> prd.released.equals(prd.tag("release")));
        assertThat(aws.ecs().updateServiceCalls()).isEmpty();
        assertThat(app.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow().state()).isEqualTo(ReleaseState.FAILED);
    }

    @Test
    void aTaskThatCannotBePlacedFailsWithEcsReason() {
        aws.ecs().failNextPlacement("RESOURCE:MEMORY");

        SlackMessage request = approvedRelease();

        SlackMessage failed = prd.awaitMessage(request, "Failed");
        assertThat(failed.allText()).contains("RESOURCE:MEMORY");
        assertThat(aws.ecs().updateServiceCalls()).isEmpty();
        await().until(() -> prd.released.equals(prd.tag("release")));
    }

    @Test
    void aRestartWhileTheTaskRunsWaitsForItInsteadOfStartingAnother() {
        SlackMessage request = approvedRelease();
        JsonNode task = migrationTask();

        app.restart();
        aws.ecs().exitTask(task.get("taskArn").asText(), 0);

        await().until(() -> !aws.ecs().updateServiceCalls().isEmpty());
        aws.ecs().completeDeployment(CLUSTER, "web");
        prd.awaitMessage(request, "Succeeded");
        assertThat(aws.calls(RUN_TASK)).hasSize(1);
    }

    private SlackMessage approvedRelease() {
        app.slack().slashCommand(DEV, prd.channel, "/deploy", "prd");
        SlackMessage request = prd.awaitRequestMessage();
        app.slack().clickButton(LEAD, prd.channel, request.ts(), "release_approve", requestId(request));
        return request;
    }

    private JsonNode migrationTask() {
        Optional<JsonNode> task = await().until(() -> aws.ecs().tasks().stream().findFirst(), Optional::isPresent);
        return task.orElseThrow();
    }
}
