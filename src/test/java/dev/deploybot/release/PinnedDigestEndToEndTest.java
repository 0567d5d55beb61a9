package dev.deploybot.release;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pinned image is recognised by its digest, whatever tag ECR names in its answer to a query by digest. */
class PinnedDigestEndToEndTest {
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
        if (app != null) {
            app.close();
        }
        aws.close();
        slack.close();
    }

    @Test
    void aReleasePromotesWhenTheAnswerByDigestAlsoNamesATag() {
        ReleaseScenario scenario = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        aws.ecr().nameATagInAnswersByDigest();
        app = ReleaseScenario.app(slack, aws, scenario.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        SlackRequests requests = app.slack();

        requests.slashCommand(DEV, scenario.channel, "/deploy", "prd");
        SlackMessage request = scenario.awaitRequestMessage();
        requests.clickButton(SRE, scenario.channel, request.ts(), "release_approve", requestId(request));

        await().until(() -> scenario.candidate.equals(scenario.tag("release")));
        assertThat(scenario.tag("release-1gen")).isEqualTo(scenario.released);
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web")));
        aws.ecs().completeDeployment(CLUSTER, "web");
        assertThat(scenario.awaitMessage(request, "Succeeded").allText()).doesNotContain("no longer in the repository");
    }
}
