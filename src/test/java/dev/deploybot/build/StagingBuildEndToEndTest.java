package dev.deploybot.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.Subject;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.BuildLog;
import dev.deploybot.core.BuildRecord;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import dev.deploybot.testing.SlackRequests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /deploy stg} from a signed Slack request to a CodeBuild build and a channel message. */
class StagingBuildEndToEndTest {
    private static final String CHANNEL = "C0STG";
    private static final String ALICE = "U0ALICE";
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static SlackRequests requests;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        aws.codeBuild().createProject("app-stg");
        app = DeploybotApp.start(slack, aws, Map.of(
                "deploybot.environments.stg.channel", CHANNEL,
                "deploybot.environments.stg.build.project", "app-stg",
                "deploybot.environments.stg.build.default-ref", "develop",
                "deploybot.environments.qa.channel", "C0QA",
                "deploybot.environments.qa.build.project", "app-qa"));
        requests = app.slack();
    }

    @AfterAll
    static void stop() {
        app.close();
        aws.close();
        slack.close();
    }

    @BeforeEach
    void forgetEarlierCalls() {
        slack.reset();
    }

    @Test
    void startsTheBuildAndAnnouncesItInTheEnvironmentChannel() {
        int before = aws.codeBuild().startedBuilds().size();
        HttpResponse<String> ack = requests.slashCommand(ALICE, "C0RANDOM", "/deploy", "stg feature/x");

        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Starting").contains("feature/x");
        JsonNode build = await().until(() -> aws.codeBuild().startedBuilds(), builds -> builds.size() == before + 1)
                .get(before);
        assertThat(build.get("sourceVersion").asText()).isEqualTo("feature/x");
        assertThat(build.get("projectName").asText()).isEqualTo("app-stg");

        // The previous test's announcement may still be on its way: wait for this build's.
        SlackMessage message = await().until(() -> slack.channelMessages(CHANNEL).stream()
                .filter(posted -> posted.allText().contains(build.get("id").asText())).findFirst(), found -> found.isPresent()).orElseThrow();
        assertThat(message.allText())
                .contains("<@" + ALICE + ">")
                .contains("feature/x")
                .contains("#" + build.get("buildNumber").asLong())
                .contains(build.get("id").asText());
        assertThat(message.buttons()).anySatisfy(button ->
                assertThat(button.path("url").asText()).isEqualTo(build.path("logs").path("deepLink").asText()));

        BuildRecord record = app.bean(BuildLog.class).find(build.get("id").asText()).orElseThrow();
        assertThat(record.requester()).isEqualTo(ALICE);
        assertThat(record.ref()).isEqualTo("feature/x");
        assertThat(record.channel()).isEqualTo(CHANNEL);
        assertThat(app.bean(Outbox.class).messageTs(Subject.build(record.buildId()).key()))
                .as("the start message is the one the build's news updates").contains(message.ts());
    }

    @Test
    void buildsTheConfiguredDefaultRefWhenNoneIsGiven() {
        int before = aws.codeBuild().startedBuilds().size();
        requests.slashCommand(ALICE, CHANNEL, "/deploy", "stg");
        JsonNode build = await().until(() -> aws.codeBuild().startedBuilds(), builds -> builds.size() == before + 1)
                .get(before);
        assertThat(build.get("sourceVersion").asText()).isEqualTo("develop");
        // Its announcement comes after the build started: awaited here, so that it does not land in the next test.
        await().until(() -> slack.channelMessages(CHANNEL).stream()
                .anyMatch(posted -> posted.allText().contains(build.get("id").asText())));
    }

    @Test
    void aReplayedCommandStartsOneBuildAndPostsOneMessage() {
        int before = aws.codeBuild().startedBuilds().size();
        String triggerId = SlackRequests.newTriggerId();
        requests.slashCommand(ALICE, CHANNEL, "/deploy", "stg main", triggerId);
        requests.slashCommand(ALICE, CHANNEL, "/deploy", "stg main", triggerId);

        await().until(() -> aws.calls("CodeBuild_20161006.StartBuild").stream()
                .filter(call -> call.request().path("sourceVersion").asText().equals("main")).count() == 2);
        await().until(() -> slack.channelMessages(CHANNEL).size() == 1);
        assertThat(aws.codeBuild().startedBuilds()).hasSize(before + 1);
        await().during(Duration.ofMillis(500)).until(() -> slack.channelMessages(CHANNEL).size() == 1);
    }

    @Test
    void helpAndUnknownSubcommandsAnswerPrivatelyWithTheEnvironments() {
        for (String text : List.of("", "help", "frobnicate")) {
            HttpResponse<String> ack = requests.slashCommand(ALICE, CHANNEL, "/deploy", text);
            assertThat(ack.statusCode()).isEqualTo(200);
            assertThat(ack.body()).contains("`qa`").contains("`stg`").doesNotContain("in_channel");
        }
    }

    @Test
    void anUnknownEnvironmentIsRefusedWithTheListAndNoAwsCall() {
        int calls = aws.calls().size();
        HttpResponse<String> ack = requests.slashCommand(ALICE, CHANNEL, "/deploy", "nosuchenv main");
        assertThat(ack.body()).contains("no environment called `nosuchenv`").contains("`qa`, `stg`");
        assertThat(aws.calls()).hasSize(calls);
        assertThat(slack.channelMessages(CHANNEL)).isEmpty();
        assertThat(lastAudit().outcome()).isEqualTo("refused");
        assertThat(lastAudit().environment()).isEqualTo("nosuchenv");
    }

    @Test
    void implausibleRefsAreRefusedBeforeAnyAwsCall() {
        int calls = aws.calls().size();
        for (String ref : List.of("main..evil", "a;rm -rf /", "$(id)", "x".repeat(201), "`whoami`", "a|b")) {
            HttpResponse<String> ack = requests.slashCommand(ALICE, CHANNEL, "/deploy", "stg " + ref);
            assertThat(ack.body()).contains("Not started");
        }
        HttpResponse<String> twoWords = requests.slashCommand(ALICE, CHANNEL, "/deploy", "stg two words");
        assertThat(twoWords.body()).contains("Not started");
        assertThat(aws.calls()).hasSize(calls);
        assertThat(lastAudit().detail()).startsWith("bad ref");
    }

    @Test
    void aCodeBuildRefusalIsShownPrivatelyAndNothingIsRecorded() {
        for (String code : List.of("ResourceNotFoundException", "AccountLimitExceededException", "AccessDeniedException")) {
            slack.reset();
            aws.codeBuild().failNextStartBuild(code, "no for " + code);
            requests.slashCommand(ALICE, CHANNEL, "/deploy", "stg refused-" + code.length());

            var ephemeral = await().until(() -> slack.ephemerals(), list -> !list.isEmpty()).get(0);
            assertThat(ephemeral.param("user")).isEqualTo(ALICE);
            assertThat(ephemeral.param("text")).contains(code).contains("no for " + code);
            assertThat(slack.channelMessages(CHANNEL)).isEmpty();
            await().until(() -> lastAudit().detail().startsWith(code));
            assertThat(lastAudit().outcome()).isEqualTo("refused");
        }
    }

    @Test
    void requestsThatSlackDidNotSignAreRefusedWithoutSideEffects() {
        int calls = aws.calls().size();
        List<AuditEntry> audit = app.bean(AuditTrail.class).recent(1000);
        String body = "command=%2Fdeploy&text=stg+main&user_id=U0MALLORY&channel_id=C0STG&team_id=T0TEST&trigger_id=1.2.3";
        long now = Instant.now().getEpochSecond();
        String form = "application/x-www-form-urlencoded";

        assertThat(requests.send(body, form, now, "v0=" + "0".repeat(64), true).statusCode()).isEqualTo(401);
        assertThat(requests.send(body, form, now, null, false).statusCode()).isEqualTo(401);
        assertThat(requests.send(body, form, now - 360, null, true).statusCode()).isEqualTo(401);
        assertThat(requests.send(body, form, now + 360, null, true).statusCode()).isEqualTo(401);
        String signedForOtherBody = SlackRequests.sign(DeploybotApp.SIGNING_SECRET, now, body.replace("main", "evil"));
        assertThat(requests.send(body, form, now, signedForOtherBody, true).statusCode()).isEqualTo(401);

        assertThat(aws.calls()).hasSize(calls);
        assertThat(slack.calls()).isEmpty();
        assertThat(app.bean(AuditTrail.class).recent(1000)).isEqualTo(audit);
    }

    private static AuditEntry lastAudit() {
        return app.bean(AuditTrail.class).recent(1).get(0);
    }
}
