package dev.deploybot.release;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SilentEndpoint;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.LEAD;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CodeBuild accepts connections and never answers. Staging builds are stuck on it, yet the requester hears back
 * within the call budget, honestly (the build may have started), and releases, rollbacks, locks and unlocks
 * sent meanwhile are answered as usual.
 */
class HungAwsEndToEndTest {
    private static final String CODEBUILD_ENDPOINT = "aws.endpointUrlCodeBuild";
    private static final Duration TOTAL_BUDGET = Duration.ofSeconds(4);
    private FakeSlack slack;
    private FakeAws aws;
    private SilentEndpoint hungCodeBuild;
    private DeploybotApp app;

    @BeforeEach
    void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        hungCodeBuild = SilentEndpoint.start();
        System.setProperty(CODEBUILD_ENDPOINT, hungCodeBuild.uri().toString());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        System.clearProperty(CODEBUILD_ENDPOINT);
        hungCodeBuild.close();
        aws.close();
        slack.close();
    }

    @Test
    void buildsStuckOnAHungCodeBuildNeverMakeReleasesRollbacksOrUnlocksBusy() {
        ReleaseScenario prd = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        Map<String, Object> config = new HashMap<>(prd.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.put("deploybot.environments.stg.channel", "C0STG");
        config.put("deploybot.environments.stg.build.project", "app-stg");
        config.put("deploybot.aws.control-plane.attempt-timeout", "2s");
        config.put("deploybot.aws.control-plane.total-timeout", TOTAL_BUDGET.toSeconds() + "s");
        config.put("deploybot.work.builds.threads", 2);
        config.put("deploybot.work.builds.queue", 2);
        app = ReleaseScenario.app(slack, aws, config);
        SlackRequests requests = app.slack();

        List<String> buildAnswers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            buildAnswers.add(requests.slashCommand(DEV, "C0STG", "/deploy", "stg main").body());
        }
        assertThat(buildAnswers).anyMatch(answer -> answer.contains("Starting the *stg* build"));
        assertThat(buildAnswers).as("the builds lane is full").anyMatch(answer -> answer.contains("busy"));

        String release = requests.slashCommand(DEV, prd.channel, "/deploy", "prd").body();
        assertThat(release).contains("Looking up the image").doesNotContain("busy");
        SlackMessage request = prd.awaitRequestMessage();
        requests.clickButton(SRE, prd.channel, request.ts(), "release_approve", requestId(request));
        prd.awaitMessage(request, "Approved by <@" + SRE + ">");

        assertThat(requests.slashCommand(LEAD, prd.channel, "/deploy", "lock prd hung CodeBuild").body()).contains("is locked");
        assertThat(requests.slashCommand(LEAD, prd.channel, "/deploy", "unlock prd").body()).doesNotContain("busy");
        prd.whisperTo(LEAD, "prd is unlocked");
        assertThat(requests.slashCommand(LEAD, prd.channel, "/deploy", "rollback prd").body())
                .contains("Preparing a rollback").doesNotContain("busy");

        String honest = await().atMost(TOTAL_BUDGET.plusSeconds(20)).until(() -> whispersTo(DEV),
                whispers -> whispers.stream().anyMatch(text -> text.contains("may have started"))).stream()
                .filter(text -> text.contains("may have started")).findFirst().orElseThrow();
        assertThat(honest).contains("retrying with the same idempotency token is safe");
        prd.whisperTo(DEV, "CodeBuild still did not answer");
        assertThat(whispersTo(DEV)).noneMatch(text -> text.contains("was not started"));
        assertThat(hungCodeBuild.connections()).isPositive();
    }

    private List<String> whispersTo(String user) {
        return slack.ephemerals().stream().filter(call -> user.equals(call.param("user"))).map(call -> call.param("text")).toList();
    }
}
