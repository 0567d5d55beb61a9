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
import java.lang.management.ManagementFactory;
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
    /**
     * Handled before the measured ones, through the same door: the figure is the bot's steady capacity, not the
     * JIT compiler's first minutes. On two cores its threads took a fifth of the CPU for the first 3,000 events;
     * after 12,000 they still compile, but far less (the row shows how much).
     */
    private static final int WARM_UP_EVENTS = Integer.getInteger("bench.warmup", 12_000);

    /** What {@link #drain} measured last, beside the rate it answers. */
    private static double lastSqsCpuPerEvent;
    private static double lastSqsCompiling;

    private EventThroughputBenchmark() {
    }

    static Row overHttp() throws Exception {
        List<String> bodies = events(HTTP_EVENTS);
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start();
             DeploybotApp app = DeploybotApp.start(slack, aws, configuration(Map.of("deploybot.events.http.api-key", KEY)))) {
            EventRequests door = new EventRequests(app.url());
            postAll(door, events(WARM_UP_EVENTS));
            awaitHandled(app, WARM_UP_EVENTS, Instant.EPOCH);
            Instant since = Instant.now();
            long started = System.nanoTime();
            long cpuBefore = processCpuNanos();
            long compilingBefore = compilingMillis();
            int refused = postAll(door, bodies);
            double acceptedPerSecond = HTTP_EVENTS / ((System.nanoTime() - started) / 1e9);
            double handled = awaitHandled(app, HTTP_EVENTS, since);
            double cpuPerEvent = (processCpuNanos() - cpuBefore) / 1e3 / HTTP_EVENTS;
            double compiling = (compilingMillis() - compilingBefore) / ((System.nanoTime() - started) / 1e6);
            return new Row("distinct CodeBuild events over `POST /events/aws`, " + HTTP_CLIENTS + " clients, " + HTTP_EVENTS,
                    String.format("%.0f handled/s (%.0f accepted/s%s; %.0f µs CPU each, clients included; the JIT compiler busy on %.1f cores meanwhile)",
                            handled, acceptedPerSecond, refused > 0 ? ", " + refused + " not 202" : "", cpuPerEvent, compiling),
                    ">= 1,000/s");
        }
    }

    /**
     * Time the JIT compiler threads spent compiling so far: they still take a share of the two cores after the
     * warm-up, which a bot running for days no longer pays.
     */
    private static long compilingMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Posts every body from {@link #HTTP_CLIENTS} clients at once; answers how many were not accepted. */
    private static int postAll(EventRequests door, List<String> bodies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(HTTP_CLIENTS);
        try {
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
        } finally {
            clients.shutdown();
        }
        return refused.get();
    }

    static Row overSqs() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start(); ElasticMq sqs = ElasticMq.start()) {
            sqs.pointAppAtIt();
            // A first bot drains a warm-up queue; compiled code outlives it in this JVM, as it would in a long-running bot.
            drain(slack, aws, sqs, "bench-warm-up", WARM_UP_EVENTS);
            double handled = drain(slack, aws, sqs, "bench-events", SQS_EVENTS);
            return new Row("distinct CodeBuild events over SQS (ElasticMQ in-process), " + SQS_EVENTS + " queued",
                    String.format("%.0f handled/s (%.0f µs CPU each, ElasticMQ included; the JIT compiler busy on %.1f cores meanwhile)",
                            handled, lastSqsCpuPerEvent, lastSqsCompiling), ">= 500/s");
        }
    }

    /** Queues {@code count} events, then starts a bot on the queue; answers its events handled per second. */
    private static double drain(FakeSlack slack, FakeAws aws, ElasticMq sqs, String queue, int count) throws Exception {
        ElasticMq.Queues queues = sqs.createQueues(queue, 5);
        sqs.sendAll(queues.url(), events(count));
        try (DeploybotApp app = DeploybotApp.start(slack, aws, configuration(Map.of(
                "deploybot.events.sqs.queue-url", queues.url(), "deploybot.events.sqs.wait-time", "1s")))) {
            long started = System.nanoTime();
            long cpuBefore = processCpuNanos();
            long compilingBefore = compilingMillis();
            double handled = awaitHandled(app, count, Instant.EPOCH);
            lastSqsCpuPerEvent = (processCpuNanos() - cpuBefore) / 1e3 / count;
            lastSqsCompiling = (compilingMillis() - compilingBefore) / ((System.nanoTime() - started) / 1e6);
            return handled;
        }
    }

    /**
     * The CPU this whole JVM used (bot, fakes and load alike): on a machine busy with other work the time per event
     * is the steadier figure, and wall-clock rates are only comparable between runs on an idle machine.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
            // Polling the store, as there is no event to wait on from outside: seldom, as each poll counts the whole
            // table, and the figure comes from the stored times anyway, not from when the poll noticed.
            Thread.sleep(500);
        }
        throw new IllegalStateException("not all events were handled within 5 minutes");
    }
}
