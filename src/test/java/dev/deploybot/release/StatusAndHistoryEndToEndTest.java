package dev.deploybot.release;

import dev.deploybot.core.ImageRef;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackCall;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a person asks the bot about environments: status, history, and whether staging proved a candidate. */
class StatusAndHistoryEndToEndTest {
    private static final String ECR_BATCH_GET_IMAGE = "AmazonEC2ContainerRegistry_V20150921.BatchGetImage";
    private FakeSlack slack;
    private FakeAws aws;
    private DeploybotApp app;

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
    }

    @AfterEach
    void stop() {
        aws.stopHanging();
        if (app != null) {
            app.close();
        }
        aws.close();
        slack.close();
    }

    @Test
    void afterAReleaseStatusAndHistoryTellWhatRunsAndWhatHappenedAndAStalledRegistryDoesNotHoldTheAnswer() {
        ReleaseScenario scenario = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        Map<String, Object> config = new HashMap<>(scenario.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.put("deploybot.environments.stg.channel", "C0STG");
        config.put("deploybot.environments.stg.build.project", "app-stg");
        config.put("deploybot.status.time-budget", "1s");
        app = ReleaseScenario.app(slack, aws, config);
        SlackRequests requests = app.slack();
        requests.slashCommand(DEV, scenario.channel, "/deploy", "prd");
        SlackMessage request = scenario.awaitRequestMessage();
        requests.clickButton(SRE, scenario.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> aws.ecs().updateServiceCalls().size() == 1);
        aws.ecs().completeDeployment(CLUSTER, "web");
        scenario.awaitMessage(request, "Succeeded");
        String candidate = ImageRef.shortDigest(scenario.candidate);

        requests.slashCommand(DEV, scenario.channel, "/deploy", "history prd");
        String history = blocksTo(DEV, "releases and rollbacks in *prd*");
        assertThat(history).contains("release of `" + candidate + "` `git-def5678`", "by <@" + DEV + ">",
                "approved by <@" + SRE + ">", ":white_check_mark: succeeded", "message_ts=" + request.ts());

        requests.slashCommand(DEV, scenario.channel, "/deploy", "status prd");
        String status = blocksTo(DEV, "*prd* runs");
        assertThat(status).contains("*prd* runs `" + candidate + "`", "rollout completed", "2/2 tasks",
                "`release` → `" + candidate + "`", "`release-1gen` → `" + ImageRef.shortDigest(scenario.released) + "`")
                .doesNotContain("*Drift*", "*Locked*");

        aws.hang(ECR_BATCH_GET_IMAGE);
        requests.slashCommand(DEV, scenario.channel, "/deploy", "status");
        String stalled = blocksTo(DEV, "unknown (timed out)");
        assertThat(stalled).contains("*prd* :grey_question: unknown (timed out)", "*stg* has no ECS service");
    }

    @Test
    void aCandidateStagingDoesNotRunIsRefusedWithWhatStagingRunsInstead() {
        ReleaseScenario scenario = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        aws.ecs().createService("staging", "app", TaskDefinitionSpec.of("app-stg",
                container("web", FakeEcr.repositoryUri("app") + "@" + scenario.released, 8080)));
        Map<String, Object> config = new HashMap<>(scenario.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.put("deploybot.environments.prd.release.requires", "stg");
        config.put("deploybot.environments.stg.channel", "C0STG");
        config.put("deploybot.environments.stg.deploy.cluster", "staging");
        config.put("deploybot.environments.stg.deploy.service", "app");
        app = ReleaseScenario.app(slack, aws, config);

        app.slack().slashCommand(DEV, scenario.channel, "/deploy", "prd");

        String refusal = scenario.whisperTo(DEV, "does not run the candidate");
        assertThat(refusal).contains("*stg* does not run the candidate `" + ImageRef.shortDigest(scenario.candidate) + "`",
                "it runs `" + ImageRef.shortDigest(scenario.released) + "` (task definition `app-stg:1`)");
        assertThat(slack.channelMessages(scenario.channel)).as("no approval request").isEmpty();
    }

    /** The blocks of the first private message to the user whose blocks contain the text. */
    private String blocksTo(String user, String containing) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> slack.ephemerals().stream()
                .filter(call -> call.param("user").equals(user) && call.param("blocks") != null)
                .map(StatusAndHistoryEndToEndTest::blocks).filter(blocks -> blocks.contains(containing))
                .findFirst(), found -> found.isPresent()).orElseThrow();
    }

    private static String blocks(SlackCall call) {
        return call.param("blocks").replace("\\n", "\n").replace("\\u003e", ">").replace("\\u003c", "<")
                .replace("\\u0026", "&").replace("\\u003d", "=");
    }
}
