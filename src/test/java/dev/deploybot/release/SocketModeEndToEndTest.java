package dev.deploybot.release;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeEcr;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.FakeSocketMode;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

import java.util.HashMap;
import java.util.Map;

import static dev.deploybot.release.ReleaseScenario.CLUSTER;
import static dev.deploybot.release.ReleaseScenario.DEV;
import static dev.deploybot.release.ReleaseScenario.SRE;
import static dev.deploybot.release.ReleaseScenario.image;
import static dev.deploybot.release.ReleaseScenario.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A release asked for and approved through Socket Mode, with no HTTP endpoint for Slack, across a reconnect. */
class SocketModeEndToEndTest {
    private final FakeSlack slack = FakeSlack.start();
    private final FakeAws aws = FakeAws.start();
    private final FakeSocketMode socket = FakeSocketMode.start(slack);
    private DeploybotApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        socket.close();
        aws.close();
        slack.close();
    }

    @Test
    void aReleaseRequestedAndApprovedOverTheSocketShipsAsOverHttpAndSurvivesAReconnect() {
        ReleaseScenario prd = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        Map<String, Object> config = new HashMap<>(prd.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.put("deploybot.slack.app-token", "xapp-1-A0TEST-socket");
        config.put("deploybot.slack.http-enabled", false);
        app = ReleaseScenario.app(slack, aws, config);
        await().until(socket::connectionsOpened, opened -> opened >= 1);

        String command = socket.slashCommand(DEV, "C0PRD", "/deploy", "prd over the socket");
        await().until(() -> socket.ack(command).isPresent());
        SlackMessage request = prd.awaitRequestMessage();
        assertThat(request.allText()).contains("<@" + DEV + ">", "over the socket");

        int before = socket.connectionsOpened();
        int asked = slack.calls("apps.connections.open").size();
        socket.disconnect();
        await().until(socket::connectionsOpened, opened -> opened > before);

        String click = socket.clickButton(SRE, prd.channel, request.ts(), "release_approve", requestId(request));
        await().until(() -> socket.ack(click).isPresent());
        prd.awaitMessage(request, "Approved by <@" + SRE + ">");
        await().until(() -> aws.ecs().updateServiceCalls().stream().anyMatch(call -> call.get("service").asText().equals("web")));
        assertThat(image(aws.ecs().registeredTaskDefinitions().get(0), "web"))
                .isEqualTo(FakeEcr.repositoryUri("app") + "@" + prd.candidate);
        aws.ecs().completeDeployment(CLUSTER, "web");
        prd.awaitMessage(request, "Succeeded");

        assertThat(app.slack().slashCommand(DEV, "C0PRD", "/deploy", "prd").statusCode())
                .as("the HTTP endpoint for Slack is off").isEqualTo(404);
        assertThat(slack.calls("apps.connections.open")).as("a new connection after the disconnect")
                .hasSizeGreaterThan(asked).allSatisfy(call -> assertThat(call.token()).startsWith("xapp-"));
    }

    /** The socket's door refuses what HTTP's refuses: each envelope is acked, nothing is touched, and the socket stays up. */
    @Test
    void malformedEnvelopesAreAckedAndTouchNothing() throws Exception {
        ReleaseScenario prd = new ReleaseScenario(aws, slack, "app", "C0PRD").withHistory().withEcsService("web");
        Map<String, Object> config = new HashMap<>(prd.environment("prd", "ecs",
                Map.of("cluster", CLUSTER, "service", "web", "container", "web")));
        config.put("deploybot.slack.app-token", "xapp-1-A0TEST-socket");
        app = ReleaseScenario.app(slack, aws, config);
        await().until(socket::connectionsOpened, opened -> opened >= 1);
        int awsCalls = aws.calls().size();
        ObjectMapper json = new ObjectMapper();

        socket.frame("{{{ not json at all");
        socket.frame("{\"type\":\"slash_commands\",\"payload\":{\"command\":\"/deploy\"}}");
        List<String> envelopes = List.of(
                socket.envelope("slash_commands", json.readTree("\"a string, not an object\"")),
                socket.envelope("slash_commands", json.readTree("{\"command\":\"/deploy\",\"text\":\"prd\"}")),
                socket.envelope("slash_commands", json.readTree("{\"command\":[1,2],\"user_id\":{\"x\":1}}")),
                socket.envelope("interactive", json.readTree("{\"type\":\"block_actions\",\"actions\":\"nope\"}")),
                socket.envelope("interactive", json.readTree("[1,2,3]")),
                socket.envelope("no_such_type", json.readTree("{}")));
        for (String envelope : envelopes) {
            JsonNode ack = await().until(() -> socket.ack(envelope), Optional::isPresent).orElseThrow();
            assertThat(ack.path("payload").toString()).as("no exception text in any answer")
                    .doesNotContain("Exception", "java.", "at dev.");
        }

        assertThat(aws.calls()).as("nothing reached AWS").hasSize(awsCalls);
        assertThat(slack.channelMessages(prd.channel)).as("nothing was posted").isEmpty();
        String command = socket.slashCommand(DEV, "C0PRD", "/deploy", "prd after the noise");
        await().until(() -> socket.ack(command).isPresent());
        assertThat(prd.awaitRequestMessage().allText()).as("the same socket still works").contains("after the noise");
    }
}
