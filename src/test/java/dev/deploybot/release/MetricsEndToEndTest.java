package dev.deploybot.release;

import dev.deploybot.testing.AwsError;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator's dashboard shows: every deploybot series on {@code /prometheus} from start-up, at zero, and then
 * a command, a release, a Slack rate limit and AWS throttling counted where they happened.
 */
class MetricsEndToEndTest {
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static ReleaseScenario prd;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        prd = new ReleaseScenario(aws, slack, "app-m", "C0METRICS").withHistory().withEcsService("web-m");
        Map<String, Object> config = new HashMap<>(prd.environment("prd", "ecs", Map.of("cluster", CLUSTER, "service", "web-m",
                "container", "web")));
        app = ReleaseScenario.app(slack, aws, config);
    }

    @AfterAll
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @Test
    void everySeriesIsThereAtZeroThenCountsWhatHappened() throws Exception {
        String before = scrape();
        assertThat(value(before, "deploybot_commands_total", "verb=\"release\"", "outcome=\"answered\"")).isZero();
        assertThat(value(before, "deploybot_commands_total", "verb=\"rollback\"", "outcome=\"busy\"")).isZero();
        assertThat(value(before, "deploybot_approvals_total", "outcome=\"approved\"")).isZero();
        assertThat(value(before, "deploybot_promotions_seconds_count", "kind=\"release\"", "outcome=\"moved\"")).isZero();
        assertThat(value(before, "deploybot_deployments_seconds_count", "kind=\"release\"", "outcome=\"succeeded\"")).isZero();
        assertThat(value(before, "deploybot_slack_calls_seconds_count", "method=\"chat.postMessage\"", "outcome=\"ratelimited\"")).isZero();
        assertThat(value(before, "deploybot_aws_calls_seconds_count", "service=\"ecr\"", "outcome=\"throttled\"")).isZero();
        assertThat(value(before, "deploybot_events_received_total", "detail_type=\"CodeBuild Build State Change\"", "door=\"sqs\"")).isZero();
        assertThat(value(before, "deploybot_events_handled_total", "detail_type=\"other\"", "outcome=\"recorded\"")).isZero();
        assertThat(value(before, "deploybot_outbox_backlog")).isZero();
        assertThat(value(before, "deploybot_slack_calls_seconds_count", "method=\"auth.test\"", "outcome=\"ok\""))
                .as("the token check at start-up").isEqualTo(1);

        slack.failNext("chat.postMessage", 1, FakeSlack.Failure.rateLimited(1));
        SlackRequests requests = app.slack();
        requests.slashCommand(DEV, prd.channel, "/deploy", "prd faster checkout");
        SlackMessage request = prd.awaitRequestMessage();

        // Throttled on every attempt the SDK makes (at most four): the promotion pauses, and housekeeping resumes it.
        for (int attempt = 0; attempt < 4; attempt++) {
            aws.failNext(FakeEcr.TARGET_PREFIX + ".BatchGetImage", AwsError.throttling());
        }
        requests.clickButton(SRE, prd.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-m")));
        aws.ecs().completeDeployment(CLUSTER, "web-m");
        prd.awaitMessage(request, "Succeeded");

        String after = scrape();
        assertThat(value(after, "deploybot_commands_total", "verb=\"release\"", "outcome=\"answered\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_slack_calls_seconds_count", "method=\"chat.postMessage\"", "outcome=\"ratelimited\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_aws_calls_seconds_count", "service=\"ecr\"", "outcome=\"throttled\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_aws_calls_seconds_count", "service=\"ecs\"", "outcome=\"ok\"")).isPositive();
        assertThat(value(after, "deploybot_approvals_total", "outcome=\"approved\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_promotions_seconds_count", "kind=\"release\"", "outcome=\"error\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_promotions_seconds_count", "kind=\"release\"", "outcome=\"moved\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_deployments_seconds_count", "kind=\"release\"", "outcome=\"succeeded\"")).isEqualTo(1);
        assertThat(value(after, "deploybot_deployments_seconds_count", "kind=\"release\"", "outcome=\"failed\"")).isZero();
    }

    @Test
    void whatUsersTypeNeverBecomesALabel() throws Exception {
        app.slack().slashCommand(DEV, prd.channel, "/deploy", "frobnicate-" + System.nanoTime());
        await().untilAsserted(() -> assertThat(value(scrape(), "deploybot_commands_total", "verb=\"other\"", "outcome=\"refused\""))
                .isPositive());
        assertThat(scrape()).doesNotContain("frobnicate");
    }

    private static String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url() + "/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the one series of {@code name} that carries every label given. */
    private static double value(String scrape, String name, String... labels) {
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> Arrays.stream(labels).allMatch(line::contains))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .reduce((one, two) -> {
                    throw new AssertionError("more than one series " + name + " with " + Arrays.toString(labels));
                })
                .orElseThrow(() -> new AssertionError("no series " + name + " with " + Arrays.toString(labels)));
    }
}
