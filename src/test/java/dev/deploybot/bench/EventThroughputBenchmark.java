package dev.deploybot.bench;

import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.ElasticMq;
import dev.deploybot.testing.EventRequests;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Distinct CodeBuild failures (each a new build, routed to a channel, so each is journalled and waits in the
 * outbox for its paced Slack post) through each door. Handled per second counts from the first event received
 * to the last one handled, both as the store recorded them: stored, deduplicated and recorded, not just acked.
 */
final class EventThroughputBenchmark {
    private static final String KEY = "bench-events-key-" + "0123456789abcdef";
    private static final int HTTP_EVENTS = 10_000;
    private static final int HTTP_CLIENTS = 8;
    private static final int SQS_EVENTS = 5_000;

    private EventThroughputBenchmark() {
    }

    static Row overHttp() throws Exception {
        List<String> bodies = events(HTTP_EVENTS);
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start();
             DeploybotApp app = DeploybotApp.start(slack, aws, configuration(Map.of("deploybot.events.http.api-key", KEY)))) {
            EventRequests door = new EventRequests(app.url());
            for (String warmUp : events(500)) {
                door.post(warmUp, KEY);
            }
            awaitHandled(app, 500, Instant.EPOCH);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService clients = Executors.newFixedThreadPool(HTTP_CLIENTS);
            Instant since = Instant.now();
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < HTTP_CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        if (door.post(bodies.get(i), KEY).statusCode() != 202) {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
            double acceptedPerSecond = HTTP_EVENTS / ((System.nanoTime() - started) / 1e9);
            clients.shutdown();
            double handled = awaitHandled(app, HTTP_EVENTS, since);
            return new Row("distinct CodeBuild events over `POST /events/aws`, " + HTTP_CLIENTS + " clients, " + HTTP_EVENTS,
                    String.format("%.0f handled/s (%.0f accepted/s%s)", handled, acceptedPerSecond,
                            refused.get() > 0 ? ", " + refused.get() + " not 202" : ""), ">= 1,000/s");
        }
    }

    static Row overSqs() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start(); ElasticMq sqs = ElasticMq.start()) {
            ElasticMq.Queues queues = sqs.createQueues("bench-events", 5);
            sqs.pointAppAtIt();
            sqs.sendAll(queues.url(), events(SQS_EVENTS));
            try (DeploybotApp app = DeploybotApp.start(slack, aws, configuration(Map.of(
                    "deploybot.events.sqs.queue-url", queues.url(), "deploybot.events.sqs.wait-time", "1s")))) {
                double handled = awaitHandled(app, SQS_EVENTS, Instant.EPOCH);
                return new Row("distinct CodeBuild events over SQS (ElasticMQ in-process), " + SQS_EVENTS + " queued",
                        String.format("%.0f handled/s", handled), ">= 500/s");
            }
        }
    }

    private static Map<String, Object> configuration(Map<String, Object> door) {
        Map<String, Object> configuration = new HashMap<>(door);
        configuration.put("deploybot.environments.stg.channel", "C0STG");
        configuration.put("deploybot.events.routes.ci.codebuild-project", "app-ci");
        configuration.put("deploybot.events.routes.ci.channel", "C0CI");
        return configuration;
    }

    private static List<String> events(int count) {
        AwsEvent failed = AwsEvent.fixture("codebuild-build-failed.json");
        List<String> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(failed.forBuild("app-ci:" + UUID.randomUUID()).toString());
        }
        return bodies;
    }

    /**
     * Waits until {@code count} events received since then are handled; answers events per second, first received
     * to last handled.
     */
    private static double awaitHandled(DeploybotApp app, int count, Instant since) throws Exception {
        DataSource store = app.bean(DataSource.class);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            try (Connection connection = store.getConnection(); PreparedStatement statement = connection.prepareStatement(
                    "SELECT COUNT(handled_at), MIN(received_at), MAX(handled_at) FROM aws_events WHERE received_at >= ?")) {
                statement.setObject(1, since.atOffset(java.time.ZoneOffset.UTC));
                ResultSet row = statement.executeQuery();
                row.next();
                if (row.getInt(1) >= count) {
                    Duration took = Duration.between(row.getObject(2, java.time.OffsetDateTime.class),
                            row.getObject(3, java.time.OffsetDateTime.class));
                    return count / (Math.max(1, took.toMillis()) / 1000.0);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            Thread.sleep(50); // polling the store's count; there is no event to wait on from outside
        }
        throw new IllegalStateException("not all events were handled within 5 minutes");
    }
}
