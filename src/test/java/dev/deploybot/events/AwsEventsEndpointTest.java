package dev.deploybot.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code POST /events/aws} as an EventBridge API destination calls it, over real HTTP. */
class AwsEventsEndpointTest {
    private static final String KEY = "test-events-key-" + "0123456789abcdef";
    private static final String CI = "C0CI";
    private static FakeSlack slack;
    private static FakeAws aws;
    private static DeploybotApp app;
    private static EventRequests events;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        app = DeploybotApp.start(slack, aws, Map.of(
                "deploybot.environments.stg.channel", "C0STG",
                "deploybot.environments.stg.build.project", "app-stg",
                "deploybot.events.http.api-key", KEY,
                "deploybot.events.http.max-body-size", "16384",
                "deploybot.events.delivery.interval", "200ms",
                "deploybot.events.routes.ci.codebuild-project", "app-ci",
                "deploybot.events.routes.ci.channel", CI));
        events = new EventRequests(app.url());
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
    void anAuthenticatedEventIsAcceptedAtOnceAndPostedOnce() {
        AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID());

        HttpResponse<String> accepted = events.post(failed.toString(), KEY);
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(stored(failed.id())).isTrue();
        SlackMessage message = await().until(() -> slack.channelMessages(CI), list -> !list.isEmpty()).get(0);
        assertThat(message.allText()).contains("*app-ci* build #55", "Failed in *BUILD*", "exit status 1");

        HttpResponse<String> again = events.post(failed.toString(), KEY);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("duplicate");
        assertThat(slack.channelMessages(CI)).hasSize(1);
    }

    @Test
    void oneEventSentManyTimesAtOnceIsHandledOnceAndEveryCopyIsAnswered() throws Exception {
        AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID());
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int copy = 0; copy < 8; copy++) {
                answers.add(senders.submit(() -> events.post(failed.toString(), KEY)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
            assertThat(statuses).as("one accepted, the rest known as duplicates").containsOnlyOnce(202)
                    .containsOnly(202, 200);
        } finally {
            senders.shutdown();
        }
        await().until(() -> slack.channelMessages(CI), list -> !list.isEmpty());
        // Over two delivery rounds, in which a second post would show.
        await().during(Duration.ofMillis(500)).until(() -> slack.channelMessages(CI).size() == 1);
    }

    @Test
    void withoutTheRightKeyNothingIsAcceptedOrStored() {
        AwsEvent event = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID());

        assertThat(events.post(event.toString(), null).statusCode()).isEqualTo(401);
        assertThat(events.post(event.toString(), "wrong").statusCode()).isEqualTo(401);
        assertThat(events.post(event.toString(), KEY + "x").statusCode()).isEqualTo(401);
        assertThat(events.post(event.toString(), "").statusCode()).isEqualTo(401);
        assertThat(stored(event.id())).isFalse();
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void malformedOrOversizedBodiesAreRefused() {
        HttpResponse<String> notJson = events.post("{not json", KEY);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not an EventBridge event: not JSON");
        assertThat(events.post("[1,2,3]", KEY).statusCode()).isEqualTo(400);
        HttpResponse<String> noDetail = events.post("{\"id\":\"x1\",\"detail-type\":\"A\",\"source\":\"s\",\"time\":\"2020-01-01T00:00:00Z\"}", KEY);
        assertThat(noDetail.statusCode()).isEqualTo(400);
        assertThat(noDetail.body()).contains("no detail");

        HttpResponse<String> longDetailType = events.post(AwsEvent.fixture("ec2-instance-state-change.json").withNewId()
                .with("detail-type", "x".repeat(129)).toString(), KEY);
        assertThat(longDetailType.statusCode()).as("permanently bad: EventBridge must not retry it").isEqualTo(400);
        AwsEvent longBuildId = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + "b".repeat(600));
        HttpResponse<String> tooLong = events.post(longBuildId.toString(), KEY);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("build-id is longer than");
        assertThat(stored(longBuildId.id())).isFalse();

        String big = AwsEvent.fixture("ec2-instance-state-change.json").withNewId()
                .withDetail("padding", "x".repeat(20_000)).toString();
        assertThat(events.post(big, KEY).statusCode()).isEqualTo(413);
        assertThat(stored("x1")).isFalse();
    }

    @Test
    void aTimestampOfControlCharactersIsReadAsNoTimestampNotAServerError() throws Exception {
        AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID());
        ObjectNode event = (ObjectNode) new ObjectMapper().readTree(failed.toString());
        ((ObjectNode) event.path("detail").path("additional-information")).put("build-start-time", "\u0000");

        assertThat(events.post(event.toString(), KEY).statusCode()).isEqualTo(202);
        await().until(() -> handled(failed.id()));
    }

    @Test
    void anUnknownDetailTypeIsAcceptedSoEventBridgeStopsRetryingAndThenIgnored() {
        AwsEvent ec2 = AwsEvent.fixture("ec2-instance-state-change.json").withNewId();
        assertThat(events.post(ec2.toString(), KEY).statusCode()).isEqualTo(202);
        await().until(() -> handled(ec2.id()));
        assertThat(slack.calls()).isEmpty();
    }

    private static boolean stored(String eventId) {
        return query("SELECT COUNT(*) FROM aws_events WHERE event_id = ?", eventId) > 0;
    }

    private static boolean handled(String eventId) {
        return query("SELECT COUNT(*) FROM aws_events WHERE event_id = ? AND handled_at IS NOT NULL", eventId) > 0;
    }

    private static int query(String sql, String parameter) {
        try (Connection connection = app.bean(DataSource.class).getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
