package dev.deploybot.events;

import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.ElasticMq;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stop (SIGTERM closes the application context) while the long poll is open: the message the poll brings
 * back after the stop began is handed back to the queue at once, so the next process handles it without
 * waiting out a visibility timeout longer than the test would wait.
 */
class SqsShutdownTest {
    private static final String CI = "C0CI";
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
        queues = sqs.createQueues("shutdown-events", 5);
        sqs.pointAppAtIt();
        app = DeploybotApp.start(slack, aws, Map.of(
                "deploybot.environments.stg.channel", "C0STG",
                "deploybot.events.sqs.queue-url", queues.url(),
                "deploybot.events.sqs.wait-time", "20s",
                "deploybot.events.sqs.visibility-timeout", "600s",
                "deploybot.events.delivery.interval", "200ms",
                "deploybot.events.routes.ci.codebuild-project", "app-ci",
                "deploybot.events.routes.ci.channel", CI));
    }

    @AfterAll
    static void stop() {
        app.close();
        sqs.close();
        aws.close();
        slack.close();
    }

    @Test
    void aMessageTheLastLongPollBringsIsHandedBackAndHandledAtOnceAfterARestart() {
        SqsEventPoller poller = app.bean(SqsEventPoller.class);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(app::close);
        await().until(poller::stopping);

        AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID());
        sqs.send(queues.url(), failed.toString());
        stopped.join();

        assertThat(sqs.receiveCountsOfVisible(queues.url())).as("received once by the stopping app, and visible again")
                .containsExactly(1);
        app.restart();
        await().until(() -> slack.channelMessages(CI).size() == 1);
        await().until(() -> sqs.approximateCount(queues.url()) == 0);
    }
}
