package dev.deploybot.release;

import dev.deploybot.activity.Outbox;
import dev.deploybot.testing.AwsCall;
import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Everything a release tells the channel is stored before it is sent: Slack being down neither loses a message
 * nor slows a release, and a restart does not lose an update that was waiting.
 */
class ReleaseDeliveryEndToEndTest {
    private static final List<String> CHAT_WRITES = List.of("chat.postMessage", "chat.update");
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static SlackRequests requests;
    private static ReleaseScenario outage;
    private static ReleaseScenario counted;
    private static ReleaseScenario restarted;
    private static ReleaseScenario narrated;
    private static final String EVENTS_KEY = "events-key-for-the-narrator-story";

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        outage = new ReleaseScenario(aws, slack, "app-o", "C0OUT").withHistory().withEcsService("web-o");
        counted = new ReleaseScenario(aws, slack, "app-n", "C0COUNT").withHistory().withEcsService("web-n");
        restarted = new ReleaseScenario(aws, slack, "app-k", "C0KILL").withHistory().withEcsService("web-k");
        narrated = new ReleaseScenario(aws, slack, "app-e", "C0NARR").withHistory().withEcsService("web-e");
        Map<String, Object> config = new HashMap<>();
        config.putAll(outage.environment("prd-o", "ecs", Map.of("cluster", CLUSTER, "service", "web-o", "container", "web")));
        config.putAll(counted.environment("prd-n", "ecs", Map.of("cluster", CLUSTER, "service", "web-n", "container", "web")));
        config.putAll(restarted.environment("prd-k", "ecs", Map.of("cluster", CLUSTER, "service", "web-k", "container", "web")));
        config.putAll(narrated.environment("prd-e", "ecs", Map.of("cluster", CLUSTER, "service", "web-e", "container", "web")));
        config.put("deploybot.events.http.api-key", EVENTS_KEY);
        // Were the event path a second writer, this route would show it too.
        config.put("deploybot.events.routes.web-e.ecs-service", CLUSTER + "/web-e");
        config.put("deploybot.events.routes.web-e.channel", "C0OPS");
        config.put("deploybot.events.routes.web-e.states", "IN_PROGRESS,SUCCEEDED");
        // No housekeeping (resumes, drift checks) meanwhile: these stories need none, and its AWS calls would blur the count.
        config.put("deploybot.release.housekeeping-delay", "1h");
        app = ReleaseScenario.app(slack, aws, config);
        requests = app.slack();
    }

    @AfterEach
    void slackIsBack() {
        slack.recover();
    }

    @AfterAll
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @Test
    void anApprovalRequestAskedForDuringASlackOutageAppearsOnceAfterItWithWorkingButtons() {
        slackIsDown();
        requests.slashCommand(DEV, outage.channel, "/deploy", "prd-o");
        await().until(() -> slack.calls("chat.postMessage").stream()
                .filter(call -> outage.channel.equals(call.param("channel")) && call.failed()).count() >= 3);
        assertThat(slack.channelMessages(outage.channel)).isEmpty();

        slack.recover();

        SlackMessage request = outage.awaitRequestMessage();
        assertThat(slack.channelMessages(outage.channel)).filteredOn(message -> !message.buttons().isEmpty()).hasSize(1);
        requests.clickButton(SRE, outage.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> outage.candidate.equals(outage.tag("release")));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-o")));
        aws.ecs().completeDeployment(CLUSTER, "web-o");
        outage.awaitMessage(request, "Succeeded");
        assertThat(slack.channelMessages(outage.channel)).as("one message, kept up to date").hasSize(1);
    }

    @Test
    void fromTheClickToUpdateServiceAReleaseMakesTheLeastAwsCallsAndWaitsOnNoSlackCall() {
        requests.slashCommand(DEV, counted.channel, "/deploy", "prd-n");
        SlackMessage request = counted.awaitRequestMessage();
        int before = aws.calls().size();
        slackIsDown();

        requests.clickButton(SRE, counted.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-n")));

        List<AwsCall> path = aws.calls().subList(before, aws.calls().size());
        int updateService = indexOf(path, "UpdateService");
        assertThat(actionCounts(path.subList(0, updateService + 1))).isEqualTo(new TreeMap<>(Map.of(
                "DescribeRepositories", 1L, "BatchGetImage", 1L, "PutImage", 3L, "DescribeServices", 1L,
                "DescribeTaskDefinition", 1L, "RegisterTaskDefinition", 1L, "UpdateService", 1L)));
        assertThat(slack.channelMessages(counted.channel)).as("Slack was down all along the path")
                .allMatch(message -> !message.allText().contains("Approved by"));

        slack.recover();
        counted.awaitMessage(request, "Approved by <@" + SRE + ">");
        await().untilAsserted(() -> assertThat(slack.threadReplies(counted.channel, request.ts())).extracting(SlackMessage::allText)
                .anyMatch(line -> line.contains("`release-2gen`"))
                .anyMatch(line -> line.contains("`release-1gen`"))
                .anyMatch(line -> line.contains("Task definition registered")));
        aws.ecs().completeDeployment(CLUSTER, "web-n");
        counted.awaitMessage(request, "Succeeded");
    }

    @Test
    void anUpdateWaitingWhenTheBotIsStoppedReachesTheChannelAfterTheRestart() {
        requests.slashCommand(DEV, restarted.channel, "/deploy", "prd-k");
        SlackMessage request = restarted.awaitRequestMessage();
        requests.clickButton(SRE, restarted.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web-k")));
        restarted.awaitMessage(request, "Approved by <@" + SRE + ">");
        slackIsDown();

        aws.ecs().completeDeployment(CLUSTER, "web-k");
        await().until(() -> app.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow().state() == ReleaseState.SUCCEEDED);
        await().until(() -> slack.calls("chat.update").stream()
                .anyMatch(call -> request.ts().equals(call.param("ts")) && call.failed()));
        assertThat(restarted.current(request).allText()).doesNotContain("Succeeded");

        app.restart();
        requests = app.slack();
        slack.recover();

        restarted.awaitMessage(request, "Succeeded");
    }

    @Test
    void anEcsEventAboutAReleasesDeploymentLeavesTheStoryToTheReleasesOneNarrator() {
        requests.slashCommand(DEV, narrated.channel, "/deploy", "prd-e");
        SlackMessage request = narrated.awaitRequestMessage();
        requests.clickButton(SRE, narrated.channel, request.ts(), "release_approve", requestId(request));
        String deploymentId = await().until(() -> app.bean(ReleaseJournal.class).find(requestId(request)).orElseThrow()
                .deployment().deploymentId(), id -> id != null);
        narrated.awaitMessage(request, "Approved by <@" + SRE + ">");

        AwsEvent inProgress = AwsEvent.fixture("ecs-deployment-in-progress.json").withNewId()
                .withDetail("deploymentId", deploymentId)
                .withResources("arn:aws:ecs:eu-west-1:111122223333:service/" + CLUSTER + "/web-e");
        assertThat(new EventRequests(app.url()).post(inProgress.toString(), EVENTS_KEY).statusCode()).isBetween(200, 299);
        await().until(() -> app.bean(MeterRegistry.class).find("deploybot.events.handled").tag("outcome", "releasenarrated")
                .counters().stream().mapToDouble(counter -> counter.count()).sum() >= 1);
        aws.ecs().completeDeployment(CLUSTER, "web-e");

        SlackMessage finished = narrated.awaitMessage(request, "Succeeded");
        await().until(() -> app.bean(Outbox.class).due(Instant.now().plusSeconds(3600), 50).isEmpty());
        List<String> thread = slack.threadReplies(narrated.channel, request.ts()).stream().map(SlackMessage::allText).toList();
        assertThat(thread).as("one writer: no line twice, none from the event path").doesNotHaveDuplicates()
                .noneMatch(line -> line.contains(deploymentId));
        assertThat(slack.channelMessages(narrated.channel)).as("no second message").containsExactly(finished);
        assertThat(slack.channelMessages("C0OPS")).as("nor one in the route's channel").isEmpty();
    }

    private static void slackIsDown() {
        CHAT_WRITES.forEach(method -> slack.failAlways(method, FakeSlack.Failure.serverError()));
    }

    private static int indexOf(List<AwsCall> calls, String action) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).target().endsWith("." + action)) {
                return i;
            }
        }
        throw new AssertionError("no " + action + " in " + calls);
    }

    private static Map<String, Long> actionCounts(List<AwsCall> calls) {
        return calls.stream().collect(Collectors.groupingBy(call -> call.target().substring(call.target().indexOf('.') + 1),
                TreeMap::new, Collectors.counting()));
    }
}
