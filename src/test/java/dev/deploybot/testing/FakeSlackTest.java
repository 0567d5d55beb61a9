package dev.deploybot.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.block.LayoutBlock;
import dev.deploybot.testing.FakeSlack.Failure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.asBlocks;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.asElements;
import static com.slack.api.model.block.element.BlockElements.button;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeSlackTest {

    private static FakeSlack fake;
    private static Slack slack;
    private static MethodsClient methods;

    @BeforeAll
    static void startFake() {
        fake = FakeSlack.start();
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(fake.apiUrl());
        config.setStatsEnabled(false);
        slack = Slack.getInstance(config);
        methods = slack.methods(FakeSlack.DEFAULT_TOKEN);
    }

    @AfterAll
    static void stopFake() throws Exception {
        slack.close();
        fake.close();
    }

    @BeforeEach
    void clean() {
        fake.reset();
    }

    @Test
    void apiUrlEndsWithSlashSoTheSdkCanAppendMethodNames() {
        assertThat(fake.apiUrl()).matches("http://127\\.0\\.0\\.1:\\d+/api/");
    }

    @Test
    void authTestIdentifiesTheBot() throws Exception {
        AuthTestResponse response = methods.authTest(r -> r);

        assertThat(response.isOk()).isTrue();
        assertThat(response.getTeamId()).isEqualTo("T0TEST");
        assertThat(response.getUserId()).isEqualTo("U0BOT");
        assertThat(response.getBotId()).isEqualTo("B0BOT");
        assertThat(fake.calls("auth.test")).singleElement()
                .satisfies(call -> assertThat(call.token()).isEqualTo(FakeSlack.DEFAULT_TOKEN));
    }

    @Test
    void postMessageKeepsBlocksAndShowsWhatAPersonReads() throws Exception {
        List<LayoutBlock> blocks = asBlocks(
                section(s -> s.text(markdownText("*Deploy* `api` to prod?"))),
                actions(a -> a.elements(asElements(
                        button(b -> b.actionId("approve").text(plainText("Approve")).value("dep-1")),
                        button(b -> b.actionId("reject").text(plainText("Reject")).value("dep-1"))))));

        ChatPostMessageResponse response = methods.chatPostMessage(r -> r
                .channel("C0DEPLOY").text("Deploy api to prod?").blocks(blocks));

        assertThat(response.isOk()).isTrue();
        assertThat(response.getChannel()).isEqualTo("C0DEPLOY");
        assertThat(response.getTs()).matches("\\d{10}\\.\\d{6}");
        assertThat(response.getMessage().getBlocks()).hasSize(2);
        SlackMessage stored = fake.message("C0DEPLOY", response.getTs()).orElseThrow();
        assertThat(stored.allText())
                .contains("Deploy api to prod?", "*Deploy* `api` to prod?", "Approve", "Reject");
        assertThat(stored.buttons()).extracting(b -> b.get("action_id").asText())
                .containsExactly("approve", "reject");
        assertThat(fake.calls("chat.postMessage").get(0).param("blocks")).startsWith("[");
    }

    @Test
    void timestampsIncreaseAndThreadRepliesStayOutOfTheChannelView() throws Exception {
        String parent = methods.chatPostMessage(r -> r.channel("C1").text("Deploying api")).getTs();
        String reply = methods.chatPostMessage(r -> r.channel("C1").threadTs(parent).text("Build started")).getTs();
        String second = methods.chatPostMessage(r -> r.channel("C1").text("Deploying web")).getTs();

        assertThat(List.of(parent, reply, second)).isSorted().doesNotHaveDuplicates();
        assertThat(fake.channelMessages("C1")).extracting(SlackMessage::ts).containsExactly(parent, second);
        assertThat(fake.threadReplies("C1", parent)).singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo("Build started"))
                .satisfies(m -> assertThat(m.threadTs()).isEqualTo(parent));
    }

    @Test
    void replyToAMissingParentIsRejected() throws Exception {
        ChatPostMessageResponse response = methods.chatPostMessage(r -> r
                .channel("C1").threadTs("1600000000.000100").text("orphan"));

        assertThat(response.isOk()).isFalse();
        assertThat(response.getError()).isEqualTo("thread_not_found");
    }

    @Test
    void updateReplacesTextAndBlocksOfAnExistingMessage() throws Exception {
        String ts = methods.chatPostMessage(r -> r.channel("C1").text("Waiting for approval")
                .blocks(asBlocks(actions(a -> a.elements(asElements(
                        button(b -> b.actionId("approve").text(plainText("Approve")).value("x")))))))).getTs();

        ChatUpdateResponse response = methods.chatUpdate(r -> r.channel("C1").ts(ts).text("Approved by <@U1>")
                .blocks(asBlocks(section(s -> s.text(markdownText(":white_check_mark: Approved"))))));

        assertThat(response.isOk()).isTrue();
        SlackMessage updated = fake.message("C1", ts).orElseThrow();
        assertThat(updated.allText()).contains("Approved by <@U1>", ":white_check_mark: Approved")
                .doesNotContain("Waiting");
        assertThat(updated.buttons()).isEmpty();
        assertThat(fake.channelMessages("C1")).hasSize(1);
    }

    @Test
    void updateOfAnUnknownMessageIsMessageNotFound() throws Exception {
        ChatUpdateResponse response = methods.chatUpdate(r -> r.channel("C1").ts("1600000000.000100").text("x"));

        assertThat(response.isOk()).isFalse();
        assertThat(response.getError()).isEqualTo("message_not_found");
        assertThat(fake.calls("chat.update")).singleElement().satisfies(c -> assertThat(c.failed()).isTrue());
    }

    @Test
    void missingChannelIsChannelNotFound() throws Exception {
        ChatPostMessageResponse response = methods.chatPostMessage(r -> r.text("nowhere"));

        assertThat(response.getError()).isEqualTo("channel_not_found");
    }

    @Test
    void ephemeralMessagesAreRecordedButNotPostedToTheChannel() throws Exception {
        ChatPostEphemeralResponse response = methods.chatPostEphemeral(r -> r
                .channel("C1").user("U1").text("Only you can see this"));

        assertThat(response.isOk()).isTrue();
        assertThat(response.getMessageTs()).matches("\\d{10}\\.\\d{6}");
        assertThat(fake.ephemerals()).singleElement().satisfies(call -> {
            assertThat(call.param("user")).isEqualTo("U1");
            assertThat(call.param("text")).isEqualTo("Only you can see this");
        });
        assertThat(fake.channelMessages("C1")).isEmpty();
    }

    @Test
    void usergroupMembersComeFromTheTestAndUnknownGroupsAreAnError() throws Exception {
        fake.setUsergroupMembers("S0APPROVERS", "U1", "U2");

        UsergroupsUsersListResponse known = methods.usergroupsUsersList(r -> r.usergroup("S0APPROVERS"));
        UsergroupsUsersListResponse unknown = methods.usergroupsUsersList(r -> r.usergroup("S0NOPE"));

        assertThat(known.isOk()).isTrue();
        assertThat(known.getUsers()).containsExactly("U1", "U2");
        assertThat(unknown.isOk()).isFalse();
        assertThat(unknown.getError()).isEqualTo("no_such_subteam");
    }

    @Test
    void usersInfoReturnsAMinimalUser() throws Exception {
        UsersInfoResponse response = methods.usersInfo(r -> r.user("U1"));

        assertThat(response.isOk()).isTrue();
        assertThat(response.getUser().getId()).isEqualTo("U1");
        assertThat(response.getUser().getTeamId()).isEqualTo("T0TEST");
    }

    @Test
    void anotherTokenIsInvalidAuth() throws Exception {
        ChatPostMessageResponse response = slack.methods("xoxb-wrong")
                .chatPostMessage(r -> r.channel("C1").text("hi"));

        assertThat(response.isOk()).isFalse();
        assertThat(response.getError()).isEqualTo("invalid_auth");
        assertThat(fake.channelMessages("C1")).isEmpty();
    }

    @Test
    void rateLimitSurfacesAs429WithRetryAfterThenRecovers() throws Exception {
        fake.failNext("chat.postMessage", 1, Failure.rateLimited(7));

        assertThatThrownBy(() -> methods.chatPostMessage(r -> r.channel("C1").text("hi")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.getResponse().code()).isEqualTo(429);
                    assertThat(e.getResponse().header("Retry-After")).isEqualTo("7");
                });
        assertThat(fake.channelMessages("C1")).isEmpty();

        assertThat(methods.chatPostMessage(r -> r.channel("C1").text("hi")).isOk()).isTrue();
        assertThat(fake.calls("chat.postMessage")).extracting(SlackCall::failed).containsExactly(true, false);
    }

    @Test
    void notOkFailureIsAnApiErrorOnlyForTheGivenNumberOfCalls() throws Exception {
        fake.failNext("chat.update", 2, Failure.notOk("ratelimited"));
        String ts = methods.chatPostMessage(r -> r.channel("C1").text("v1")).getTs();

        assertThat(methods.chatUpdate(r -> r.channel("C1").ts(ts).text("v2")).getError()).isEqualTo("ratelimited");
        assertThat(methods.chatUpdate(r -> r.channel("C1").ts(ts).text("v2")).getError()).isEqualTo("ratelimited");
        assertThat(fake.message("C1", ts).orElseThrow().text()).isEqualTo("v1");
        assertThat(methods.chatUpdate(r -> r.channel("C1").ts(ts).text("v3")).isOk()).isTrue();
        assertThat(fake.message("C1", ts).orElseThrow().text()).isEqualTo("v3");
    }

    @Test
    void outageLastsUntilRecover() throws Exception {
        fake.failAlways("chat.postMessage", Failure.serverError());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> methods.chatPostMessage(r -> r.channel("C1").text("hi")))
                    .isInstanceOfSatisfying(SlackApiException.class,
                            e -> assertThat(e.getResponse().code()).isEqualTo(500));
        }
        assertThat(methods.authTest(r -> r).isOk()).isTrue();

        fake.recover();
        assertThat(methods.chatPostMessage(r -> r.channel("C1").text("hi")).isOk()).isTrue();
        assertThat(fake.channelMessages("C1")).hasSize(1);
    }

    @Test
    void jsonBodiesAreAcceptedAndUnknownMethodsRejected() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String json = "{\"channel\":\"C1\",\"text\":\"from json\","
                + "\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"inside\"}}]}";

        HttpResponse<String> posted = http.send(jsonPost("chat.postMessage", json), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = http.send(jsonPost("chat.explode", "{}"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> broken = http.send(jsonPost("chat.postMessage", "{\"channel\":"),
                HttpResponse.BodyHandlers.ofString());

        assertThat(new ObjectMapper().readTree(posted.body()).get("ok").asBoolean()).isTrue();
        assertThat(fake.channelMessages("C1")).singleElement()
                .satisfies(m -> assertThat(m.allText()).isEqualTo("from json\ninside"));
        assertThat(fake.calls("chat.postMessage").get(0).param("blocks")).startsWith("[{\"type\":\"section\"");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(unknown.body()).isEqualTo("{\"ok\":false,\"error\":\"unknown_method\"}");
        assertThat(broken.body()).isEqualTo("{\"ok\":false,\"error\":\"invalid_json\"}");
        assertThat(fake.calls("chat.postMessage")).extracting(SlackCall::failed).containsExactly(false, true);
    }

    @Test
    void tokenMayComeAsAFormField() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(fake.apiUrl() + "auth.test"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + FakeSlack.DEFAULT_TOKEN))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).contains("\"ok\":true");
    }

    @Test
    void concurrentPostsGetDistinctTimestampsInPostOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> posts = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                posts.add(() -> methods.chatPostMessage(r -> r.channel("C1").text("m" + n)).getTs());
            }
            List<String> timestamps = new ArrayList<>();
            for (Future<String> ts : pool.invokeAll(posts)) {
                timestamps.add(ts.get());
            }

            assertThat(timestamps).doesNotHaveDuplicates();
            assertThat(fake.channelMessages("C1")).hasSize(80)
                    .extracting(SlackMessage::ts).isSorted();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void responseUrlPostsAreKept() throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.responseUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"response_type\":\"ephemeral\",\"text\":\"done\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(fake.responseUrlPosts()).singleElement()
                .satisfies(p -> assertThat(p.get("text").asText()).isEqualTo("done"));
    }

    private static HttpRequest jsonPost(String method, String json) {
        return HttpRequest.newBuilder(URI.create(fake.apiUrl() + method))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + FakeSlack.DEFAULT_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
