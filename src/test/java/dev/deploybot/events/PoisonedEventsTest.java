package dev.deploybot.events;

import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.ElasticMq;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One event whose handling always fails, among good ones, over both doors. The store is made to refuse that
 * event's row, the way a value the database cannot take once stopped every later event: the good events are
 * posted regardless, the bad one is tried {@value #ATTEMPTS} times, then set aside with its error, and a restart
 * neither tries it again nor loses what was posted.
 */
class PoisonedEventsTest {
    private static final String KEY = "test-events-key-" + "0123456789abcdef";
    private static final String CI = "C0CI";
    private static final int ATTEMPTS = 3;
    private static FakeSlack slack;
    private static FakeAws aws;
    private static ElasticMq sqs;
    private static ElasticMq.Queues queues;
    private static DeploybotApp app;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start();
        aws = FakeAws.start();
        sqs = ElasticMq.start();
        queues = sqs.createQueues("poisoned-events", 10);
        sqs.pointAppAtIt();
        app = DeploybotApp.start(slack, aws, Map.ofEntries(
                Map.entry("deploybot.environments.stg.channel", "C0STG"),
                Map.entry("deploybot.events.max-attempts", String.valueOf(ATTEMPTS)),
                Map.entry("deploybot.events.http.api-key", KEY),
                Map.entry("deploybot.events.http.retry-delay", "300ms"),
                Map.entry("deploybot.events.sqs.queue-url", queues.url()),
                Map.entry("deploybot.events.sqs.wait-time", "1s"),
                Map.entry("deploybot.events.sqs.retry-delay", "0s"),
                Map.entry("deploybot.events.delivery.interval", "200ms"),
                Map.entry("deploybot.slack.update-interval", "0s"),
                Map.entry("deploybot.events.routes.ci.codebuild-project", "app-ci"),
                Map.entry("deploybot.events.routes.ci.channel", CI)));
        execute("ALTER TABLE activity ADD CONSTRAINT no_poison CHECK (subject_key NOT LIKE '%poison%')");
    }

    @AfterAll
    static void stop() {
        app.close();
        sqs.close();
        aws.close();
        slack.close();
    }

    @Test
    void aPoisonedEventIsSetAsideAfterItsAttemptsWhileTheOthersArePostedOverBothDoors() {
        AwsEvent poisonOverSqs = failedBuild("app-ci:poison-" + UUID.randomUUID());
        AwsEvent poisonOverHttp = failedBuild("app-ci:poison-" + UUID.randomUUID());
        List<AwsEvent> good = List.of(failedBuild("app-ci:" + UUID.randomUUID()), failedBuild("app-ci:" + UUID.randomUUID()),
                failedBuild("app-ci:" + UUID.randomUUID()), failedBuild("app-ci:" + UUID.randomUUID()));
        EventRequests http = new EventRequests(app.url());

        sqs.send(queues.url(), poisonOverSqs.toString());
        assertThat(http.post(poisonOverHttp.toString(), KEY).statusCode()).isEqualTo(202);
        sqs.send(queues.url(), good.get(0).toString());
        sqs.send(queues.url(), good.get(1).toString());
        assertThat(http.post(good.get(2).toString(), KEY).statusCode()).isEqualTo(202);
        assertThat(http.post(good.get(3).toString(), KEY).statusCode()).isEqualTo(202);

        await().until(() -> slack.channelMessages(CI).size() == good.size());
        assertThat(slack.channelMessages(CI)).extracting(SlackMessage::allText).noneMatch(text -> text.contains("poison"));
        await().until(() -> setAside(poisonOverSqs.id()) && setAside(poisonOverHttp.id()));
        assertThat(attempts(poisonOverSqs.id())).isEqualTo(ATTEMPTS);
        assertThat(attempts(poisonOverHttp.id())).isEqualTo(ATTEMPTS);
        assertThat(lastError(poisonOverSqs.id())).as("a check violation").contains("23513");
        assertThat(body(poisonOverSqs.id())).as("kept for an operator to look at").isEqualTo(poisonOverSqs.toString());
        assertThat(setAsideCount()).isEqualTo(2);
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        assertThat(sqs.approximateCount(queues.deadLetterUrl())).isZero();

        app.restart();
        AwsEvent after = failedBuild("app-ci:" + UUID.randomUUID());
        sqs.send(queues.url(), poisonOverSqs.toString());
        assertThat(new EventRequests(app.url()).post(poisonOverHttp.toString(), KEY).body()).contains("duplicate");
        sqs.send(queues.url(), after.toString());

        await().until(() -> slack.channelMessages(CI).size() == good.size() + 1);
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
        assertThat(attempts(poisonOverSqs.id())).as("not tried again after the restart").isEqualTo(ATTEMPTS);
        assertThat(attempts(poisonOverHttp.id())).isEqualTo(ATTEMPTS);
    }

    private static AwsEvent failedBuild(String buildId) {
        return AwsEvent.fixture("codebuild-build-failed.json").forBuild(buildId);
    }

    private static double setAsideCount() {
        Counter counter = app.bean(MeterRegistry.class).find("deploybot.events.set-aside")
                .tag("detail-type", "CodeBuild Build State Change").tag("reason", "failing").counter();
        return counter == null ? 0 : counter.count();
    }

    private static boolean setAside(String eventId) {
        return query("SELECT set_aside_at FROM aws_events WHERE event_id = ?", eventId) != null;
    }

    private static int attempts(String eventId) {
        return Integer.parseInt(query("SELECT attempts FROM aws_events WHERE event_id = ?", eventId));
    }

    private static String lastError(String eventId) {
        return query("SELECT last_error FROM aws_events WHERE event_id = ?", eventId);
    }

    private static String body(String eventId) {
        return query("SELECT body FROM aws_events WHERE event_id = ?", eventId);
    }

    private static String query(String sql, String parameter) {
        try (Connection connection = app.bean(DataSource.class).getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) {
        try (Connection connection = app.bean(DataSource.class).getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
