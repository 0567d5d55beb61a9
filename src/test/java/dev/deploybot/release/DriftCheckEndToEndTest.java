package dev.deploybot.release;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.TaskDefinitionSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.testing.TaskDefinitionSpec.container;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A service that runs something else than the release tag names is reported, once; one that matches is not. */
class DriftCheckEndToEndTest {

    @Test
    void aServiceRunningAnotherImageThanTheReleaseTagIsReportedOnce() {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start()) {
            ReleaseScenario drifted = new ReleaseScenario(aws, slack, "drifted", "C0DRIFTED").withHistory();
            ReleaseScenario steady = new ReleaseScenario(aws, slack, "steady", "C0STEADY").withHistory();
            pinnedService(aws, "drifted", drifted.oneGenerationAgo);
            pinnedService(aws, "steady", steady.released);
            Map<String, Object> config = new HashMap<>();
            for (ReleaseScenario scenario : List.of(drifted, steady)) {
                config.putAll(scenario.environment(scenario.repository, "ecs",
                        Map.of("cluster", CLUSTER, "service", scenario.repository, "container", "web")));
            }
            config.put("deploybot.release.drift-check-interval", "100ms");

            try (DeploybotApp app = ReleaseScenario.app(slack, aws, config)) {
                SlackMessage report = await().until(() -> slack.channelMessages("C0DRIFTED"), list -> !list.isEmpty()).get(0);
                assertThat(report.allText()).contains("Drift in drifted", "`release` names `" + drifted.released.substring(7, 19),
                        "runs `" + drifted.oneGenerationAgo.substring(7, 19));
                await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                        .until(() -> slack.channelMessages("C0DRIFTED").size() == 1);
                assertThat(slack.channelMessages("C0STEADY")).isEmpty();
            }
        }
    }

    private static void pinnedService(FakeAws aws, String name, String digest) {
        aws.ecs().createService(CLUSTER, name, TaskDefinitionSpec.of(name,
                container("web", FakeEcr.repositoryUri(name) + "@" + digest, 8080)));
    }
}
