package dev.deploybot.release;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeCloudWatch;
import dev.deploybot.testing.FakeSlack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static org.assertj.core.api.Assertions.assertThat;

/** A bake alarm CloudWatch does not know is a configuration error told at the first release, never ignored. */
class MissingBakeAlarmEndToEndTest {
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
    void aReleaseWhoseBakeNamesAnUnknownAlarmIsRefusedNamingIt() {
        ReleaseScenario scenario = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        aws.cloudWatch().createAlarm("app-5xx");
        Map<String, Object> config = new HashMap<>(scenario.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.put("deploybot.environments.prd.release.bake.duration", "10m");
        config.put("deploybot.environments.prd.release.bake.alarms", List.of("app-5xx", "app-latncy"));
        app = ReleaseScenario.app(slack, aws, config);

        app.slack().slashCommand(DEV, scenario.channel, "/deploy", "prd");

        assertThat(scenario.whisperTo(DEV, "CloudWatch has no alarm")).contains("`app-latncy`", "release.bake.alarms")
                .doesNotContain("`app-5xx`");
        assertThat(slack.channelMessages(scenario.channel)).as("no approval request").isEmpty();
        assertThat(aws.calls(FakeCloudWatch.DESCRIBE_ALARMS)).singleElement()
                .satisfies(call -> assertThat(call.request().get("AlarmTypes.member.2").asText()).isEqualTo("CompositeAlarm"));
    }
}
