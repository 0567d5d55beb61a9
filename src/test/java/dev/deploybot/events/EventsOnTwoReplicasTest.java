package dev.deploybot.events;

import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.EmbeddedPostgresSupport;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * EventBridge may deliver one event twice, to two replicas sharing one PostgreSQL, at the same moment: each
 * event is handled once (one message for each build), and every copy is answered as accepted or as a duplicate.
 */
class EventsOnTwoReplicasTest {
    private static final String KEY = "test-events-key-" + "0123456789abcdef";
    private static final String CI = "C0CI";
    private static final int EVENTS = 10;

    @Test
    void theSameEventsAtBothReplicasAtOnceArePostedOnceEach() throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of(
                "deploybot.environments.stg.channel", "C0STG",
                "deploybot.events.http.api-key", KEY,
                "deploybot.events.delivery.interval", "200ms",
                "deploybot.events.routes.ci.codebuild-project", "app-ci",
                "deploybot.events.routes.ci.channel", CI));
        config.putAll(DeploybotApp.postgres(EmbeddedPostgresSupport.newDatabase()));
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start();
             DeploybotApp first = DeploybotApp.start(slack, aws, config);
             DeploybotApp second = DeploybotApp.start(slack, aws, config)) {
            List<EventRequests> replicas = List.of(new EventRequests(first.url()), new EventRequests(second.url()));
            ExecutorService senders = Executors.newFixedThreadPool(4 * EVENTS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * EVENTS; i++) {
                    // Half of them tell nothing the bot tracks: only the event's own row tells the replicas apart.
                    String event = (i % 2 == 0
                            ? AwsEvent.fixture("codebuild-build-failed.json").forBuild("app-ci:" + UUID.randomUUID())
                            : AwsEvent.fixture("ec2-instance-state-change.json").withNewId()).toString();
                    for (EventRequests replica : replicas) {
                        answers.add(senders.submit(() -> {
                            go.await();
                            return replica.post(event, KEY).statusCode();
                        }));
                    }
                }
                go.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
                assertThat(statuses).containsOnly(202, 200);
                assertThat(statuses).filteredOn(status -> status == 202).as("one copy of each accepted").hasSize(2 * EVENTS);
            } finally {
                senders.shutdown();
            }
            await().until(() -> slack.channelMessages(CI).size() >= EVENTS);
            // Over a few delivery rounds, in which a second post of any event would show.
            await().during(Duration.ofSeconds(1)).until(() -> slack.channelMessages(CI).size() == EVENTS);
        }
    }
}
