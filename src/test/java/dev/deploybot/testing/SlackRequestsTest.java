package dev.deploybot.testing;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.asElements;
import static com.slack.api.model.block.element.BlockElements.button;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the requests are what Slack sends by handing them to a real Bolt app, whose signature
 * verification and payload parsing are the ones production code will use.
 */
class SlackRequestsTest {

    private static final String SECRET = "test-signing-secret";

    private static final List<SlashCommandPayload> commands = new CopyOnWriteArrayList<>();
    private static final List<BlockActionPayload> clicks = new CopyOnWriteArrayList<>();
    private static FakeSlack fakeSlack;
    private static Slack slack;
    private static LoopbackServer boltApp;
    private static SlackRequests requests;

    @BeforeAll
    static void startBoltApp() {
        fakeSlack = FakeSlack.start();
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(fakeSlack.apiUrl());
        slackConfig.setStatsEnabled(false);
        slack = Slack.getInstance(slackConfig);
        AppConfig config = AppConfig.builder()
                .signingSecret(SECRET)
                .singleTeamBotToken(FakeSlack.DEFAULT_TOKEN)
                .slack(slack)
                .build();
        App app = new App(config);
        app.command("/deploy", (req, ctx) -> {
            commands.add(req.getPayload());
            ctx.client().chatPostMessage(r -> r.channel(req.getPayload().getChannelId())
                    .text("Deploy " + req.getPayload().getText() + "?")
                    .blocks(asBlocks(actions(a -> a.elements(asElements(
                            button(b -> b.actionId("approve").text(plainText("Approve")).value("dep-1"))))))));
            return ctx.ack();
        });
        app.blockAction("approve", (req, ctx) -> {
            clicks.add(req.getPayload());
            ctx.client().chatUpdate(r -> r.channel(req.getPayload().getChannel().getId())
                    .ts(req.getPayload().getContainer().getMessageTs())
                    .text("Approved by <@" + req.getPayload().getUser().getId() + ">"));
            return ctx.ack();
        });
        app.start();
        SlackRequestParser parser = new SlackRequestParser(config);
        boltApp = LoopbackServer.start("bolt-app", exchange -> {
            String body = LoopbackServer.readBody(exchange);
            Response response = app.run(parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri(exchange.getRequestURI().getPath())
                    .queryString(Map.of())
                    .headers(new RequestHeaders(exchange.getRequestHeaders()))
                    .requestBody(body)
                    .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                    .build()));
            LoopbackServer.respond(exchange, response.getStatusCode(),
                    response.getContentType() == null ? "text/plain" : response.getContentType(),
                    response.getBody() == null ? "" : response.getBody(), Map.of());
        });
        requests = new SlackRequests(boltApp.baseUri(), SECRET, fakeSlack.responseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        boltApp.close();
        slack.close();
        fakeSlack.close();
    }

    @BeforeEach
    void clean() {
        commands.clear();
        clicks.clear();
        fakeSlack.reset();
    }

    @Test
    void signatureMatchesSlacksDocumentedExample() {
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

        assertThat(SlackRequests.sign("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void slashCommandIsVerifiedAndParsedByBolt() {
        HttpResponse<String> response = requests.slashCommand("U1", "C0DEPLOY", "/deploy", "api prod");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(commands).singleElement().satisfies(p -> {
            assertThat(p.getUserId()).isEqualTo("U1");
            assertThat(p.getChannelId()).isEqualTo("C0DEPLOY");
            assertThat(p.getCommand()).isEqualTo("/deploy");
            assertThat(p.getText()).isEqualTo("api prod");
            assertThat(p.getTeamId()).isEqualTo("T0TEST");
            assertThat(p.getApiAppId()).isEqualTo("A0TEST");
            assertThat(p.getResponseUrl()).isEqualTo(fakeSlack.responseUrl());
            assertThat(p.getTriggerId()).matches("1234\\.5678\\.\\w+");
        });
        assertThat(fakeSlack.channelMessages("C0DEPLOY")).singleElement()
                .satisfies(m -> assertThat(m.allText()).contains("Deploy api prod?", "Approve"));
    }

    @Test
    void triggerIdsAreFreshUnlessGiven() {
        requests.slashCommand("U1", "C1", "/deploy", "a");
        requests.slashCommand("U1", "C1", "/deploy", "a");
        requests.slashCommand("U1", "C1", "/deploy", "a", "1234.5678.replayed");
        requests.slashCommand("U1", "C1", "/deploy", "a", "1234.5678.replayed");

        List<String> triggerIds = commands.stream().map(SlashCommandPayload::getTriggerId).toList();
        assertThat(triggerIds.get(0)).isNotEqualTo(triggerIds.get(1));
        assertThat(triggerIds.subList(2, 4)).containsOnly("1234.5678.replayed");
    }

    @Test
    void buttonClickIsABlockActionsPayloadBoltUnderstands() {
        requests.slashCommand("U1", "C0DEPLOY", "/deploy", "api prod");
        SlackMessage prompt = fakeSlack.channelMessages("C0DEPLOY").get(0);
        String value = prompt.buttons().get(0).get("value").asText();

        HttpResponse<String> response = requests.clickButton("U2", "C0DEPLOY", prompt.ts(), "approve", value);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(clicks).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo("block_actions");
            assertThat(p.getUser().getId()).isEqualTo("U2");
            assertThat(p.getUser().getTeamId()).isEqualTo("T0TEST");
            assertThat(p.getTeam().getId()).isEqualTo("T0TEST");
            assertThat(p.getApiAppId()).isEqualTo("A0TEST");
            assertThat(p.getContainer().getType()).isEqualTo("message");
            assertThat(p.getContainer().getMessageTs()).isEqualTo(prompt.ts());
            assertThat(p.getContainer().getChannelId()).isEqualTo("C0DEPLOY");
            assertThat(p.getContainer().isEphemeral()).isFalse();
            assertThat(p.getChannel().getId()).isEqualTo("C0DEPLOY");
            assertThat(p.getMessage().getTs()).isEqualTo(prompt.ts());
            assertThat(p.getTriggerId()).isNotBlank();
            assertThat(p.getResponseUrl()).isEqualTo(fakeSlack.responseUrl());
            assertThat(p.getActions()).singleElement().satisfies(a -> {
                assertThat(a.getActionId()).isEqualTo("approve");
                assertThat(a.getBlockId()).isEqualTo("b1");
                assertThat(a.getValue()).isEqualTo("dep-1");
                assertThat(a.getType()).isEqualTo("button");
                assertThat(a.getActionTs()).matches("\\d+\\.\\d{6}");
            });
        });
        assertThat(fakeSlack.message("C0DEPLOY", prompt.ts()).orElseThrow().allText()).contains("Approved by <@U2>");
    }

    @Test
    void wrongSignatureIsRejected() {
        HttpResponse<String> response = requests.send("command=%2Fdeploy", "application/x-www-form-urlencoded",
                Instant.now().getEpochSecond(), "v0=" + "0".repeat(64), true);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(commands).isEmpty();
    }

    @Test
    void signatureFromAnotherSecretIsRejected() {
        SlackRequests impostor = new SlackRequests(boltApp.baseUri(), "not-the-secret");

        assertThat(impostor.slashCommand("U1", "C1", "/deploy", "api").statusCode()).isEqualTo(401);
        assertThat(commands).isEmpty();
    }

    @Test
    void missingHeadersAreRejected() {
        HttpResponse<String> response = requests.send("command=%2Fdeploy", "application/x-www-form-urlencoded",
                Instant.now().getEpochSecond(), null, false);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void timestampOlderThanFiveMinutesIsRejectedEvenWhenCorrectlySigned() {
        long sixMinutesAgo = Instant.now().getEpochSecond() - 360;

        assertThat(requests.send("command=%2Fdeploy", "application/x-www-form-urlencoded", sixMinutesAgo, null, true)
                .statusCode()).isEqualTo(401);
        assertThat(commands).isEmpty();
    }

    @Test
    void boltAcceptsFutureTimestamps() {
        // Bolt 1.51 checks only a request's age, not its distance into the future. Pinned here so that an
        // app wanting the stricter |now - ts| <= 5 min check Slack's docs describe knows it must add it.
        long sixMinutesAhead = Instant.now().getEpochSecond() + 360;

        assertThat(requests.send("command=%2Funhandled", "application/x-www-form-urlencoded", sixMinutesAhead, null, true)
                .statusCode()).as("past verification, Bolt answers 404: no handler").isEqualTo(404);
    }

    @Test
    void eventsUriIsUnderTheBaseUrlWithOrWithoutTrailingSlash() {
        assertThat(new SlackRequests(URI.create("http://127.0.0.1:8080"), SECRET).eventsUri())
                .isEqualTo(URI.create("http://127.0.0.1:8080/slack/events"));
        assertThat(new SlackRequests(URI.create("http://127.0.0.1:8080/"), SECRET).eventsUri())
                .isEqualTo(URI.create("http://127.0.0.1:8080/slack/events"));
    }
}
