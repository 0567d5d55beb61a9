package dev.deploybot.release;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.testing.AwsCall;
import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.LEAD;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bot stops in the middle of a promotion — after each PutImage of the plan, with that write landed
 * or not — and starts again: the plan completes as recorded and no generation is lost.
 */
class ReleaseCrashSafetyTest {
    private static FakeSlack slack;
    private static FakeAws aws;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
    }

    @AfterAll
    static void stop() {
        aws.close();
        slack.close();
    }

    @ParameterizedTest(name = "stopped at PutImage {0} of 3, write landed: {1}")
    @CsvSource({"1, false", "1, true", "2, false", "2, true", "3, false", "3, true"})
    void anInterruptedPromotionCompletesFromItsPlanAfterARestart(int stopAt, boolean landed) {
        String name = "crash" + stopAt + (landed ? "l" : "n");
        ReleaseScenario scenario = new ReleaseScenario(aws, slack, name, "C0" + name.toUpperCase()).withHistory()
                .withEcsService(name);
        Map<String, Object> config = new HashMap<>(scenario.environment(name, "ecs",
                Map.of("cluster", CLUSTER, "service", name, "container", "web")));
        // Nothing resumes the release before the restart: the crash is the only way forward.
        config.put("deploybot.release.housekeeping-delay", "1h");
        try (DeploybotApp app = ReleaseScenario.app(slack, aws, config)) {
            app.slack().slashCommand(DEV, scenario.channel, "/deploy", name);
            SlackMessage request = scenario.awaitRequestMessage();
            int before = putImages(name).size();
            // Not an error the SDK retries, and one the bot treats as temporary: the release pauses as if cut off.
            aws.failOnCall(FakeEcr.PUT_IMAGE, stopAt + before, new AwsError(400, "ServerException", "the bot stopped here"));
            app.slack().clickButton(LEAD, scenario.channel, request.ts(), "release_approve", requestId(request));

            AwsCall interrupted = await().until(() -> putImages(name), calls -> calls.size() >= stopAt).get(stopAt - 1);
            assertThat(interrupted.failed()).isTrue();
            if (landed) {
                // The write reached ECR but the bot died before noting it.
                JsonNode step = interrupted.request();
                aws.ecr().pushImage(name, step.get("imageManifest").asText(), step.get("imageManifestMediaType").asText(),
                        step.get("imageTag").asText());
            }
            app.restart(Map.of("deploybot.release.housekeeping-delay", "100ms"));

            await().until(() -> scenario.candidate.equals(scenario.tag("release")));
            assertThat(scenario.tag("release-1gen")).isEqualTo(scenario.released);
            assertThat(scenario.tag("release-2gen")).isEqualTo(scenario.oneGenerationAgo);
            await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals(name)));
            aws.ecs().completeDeployment(CLUSTER, name);
            scenario.awaitMessage(request, "Succeeded");
            assertThat(aws.ecs().registeredTaskDefinitions()).filteredOn(definition -> definition.get("family").asText().equals(name))
                    .hasSize(1);
        }
    }

    private static List<AwsCall> putImages(String repository) {
        return aws.calls(FakeEcr.PUT_IMAGE).stream()
                .filter(call -> call.request().get("repositoryName").asText().equals(repository)).toList();
    }
}
