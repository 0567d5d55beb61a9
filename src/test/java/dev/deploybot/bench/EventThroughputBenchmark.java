package dev.deploybot.bench;

import dev.deploybot.testing.AwsEvent;
import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.ElasticMq;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.lang.management.ManagementFactory;
import java.net.URI;
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
     * Warm-up events are handled before the measured ones, through the same door, in rounds of this many, until the
     * JIT compiler goes quiet: the figure is the bot's steady capacity, not the JIT compiler's first minutes.
     * On two cores the compiler keeps a core busy far longer than one would guess. It compiles each method once it
     * has run thousands of times, and raises that threshold while its queue is long, so code that runs once per
     * event is still being compiled after 20,000 events.
     */
    private static final int WARM_UP_ROUND = 5_000;
    /** A bound, so a compiler that never settles still lets the bench finish (the row then says so). */
    private static final int MAX_WARM_UP_EVENTS = Integer.getInteger("bench.warmup", 100_000);

    private EventThroughputBenchmark() {
    }

    /**
     * The row the target answers to (8 clients), then the same warm bot with twice as many: EventBridge delivers
     * events as they happen, not one after another's answer, so more of them arrive together and share a commit.
     */
    static List<Row> overHttp() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start();
             DeploybotApp app = DeploybotApp.start(slack, aws, configuration(Map.of("deploybot.events.http.api-key", KEY)))) {
            URI door = app.url();
            int warmUp = warmUp(door, app);
            return List.of(overHttp(door, app, HTTP_CLIENTS, warmUp, ">= 1,000/s"),
                    overHttp(door, app, 2 * HTTP_CLIENTS, warmUp + HTTP_EVENTS, "—"));
        }
    }

    private static Row overHttp(URI door, DeploybotApp app, int clients, int warmUp, String target) throws Exception {
        List<String> bodies = events(HTTP_EVENTS);
        Instant since = Instant.now();
        Spent spent = Spent.since();
        int refused = postAll(door, bodies, clients);
        double acceptedPerSecond = HTTP_EVENTS / spent.seconds();
        double handled = awaitHandled(app, HTTP_EVENTS, since);
        return new Row("distinct CodeBuild events over `POST /events/aws`, " + clients + " clients, " + HTTP_EVENTS,
                String.format("%.0f handled/s (%.0f accepted/s%s; %s)", handled, acceptedPerSecond,
                        refused > 0 ? ", " + refused + " not 202" : "", spent.perEvent(HTTP_EVENTS, "clients", warmUp)),
                target);
    }

    /** Posts warm-up rounds until the JIT compiler is quiet; answers how many events were handled. */
    private static int warmUp(URI door, DeploybotApp app) throws Exception {
        int sent = warmUp(round -> postAll(door, events(WARM_UP_ROUND), HTTP_CLIENTS));
        awaitHandled(app, sent, Instant.EPOCH);
        return sent;
    }

    /** Runs warm-up rounds until the JIT compiler is quiet during one, or the bound is reached; answers the events sent. */
    private static int warmUp(WarmUpRound round) throws Exception {
        int sent = 0;
        double compiling = Double.MAX_VALUE;
        while (compiling > JitCompiler.QUIET_CORES && sent < MAX_WARM_UP_EVENTS) {
            Spent spent = Spent.since();
            round.send(sent + WARM_UP_ROUND);
            sent += WARM_UP_ROUND;
            compiling = spent.compilerCores();
        }
        return sent;
    }

    /** Sends {@link #WARM_UP_ROUND} more events and returns once they are handled. */
    private interface WarmUpRound {
        void send(int handledOnceDone) throws Exception;
    }

    /** Posts every body from that many clients at once, each on a connection of its own; answers how many were not accepted. */
    private static int postAll(URI door, List<String> bodies, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                done.add(senders.submit(() -> {
                    try (EventSender sender = new EventSender(door, KEY)) {
                        for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                            if (sender.post(bodies.get(i)) != 202) {
                                refused.incrementAndGet();
                            }
                        }
                    }
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        } finally {
            senders.shutdown();
        }
        return refused.get();
    }

    static Row overSqs() throws Exception {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start(); ElasticMq sqs = ElasticMq.start()) {
            sqs.pointAppAtIt();
            int warmUp = warmUp(slack, aws, sqs);
            ElasticMq.Queues queues = sqs.createQueues("bench-events", 5);
            sqs.sendAll(queues.url(), events(SQS_EVENTS));
            try (DeploybotApp app = startOnQueue(slack, aws, queues)) {
                Spent spent = Spent.since();
                double handled = awaitHandled(app, SQS_EVENTS, Instant.EPOCH);
                return new Row("distinct CodeBuild events over SQS (ElasticMQ in-process), " + SQS_EVENTS + " queued",
                        String.format("%.0f handled/s (%s)", handled, spent.perEvent(SQS_EVENTS, "ElasticMQ", warmUp)),
                        ">= 500/s");
            }
        }
    }

    /**
     * A first bot handles warm-up rounds from its queue; compiled code outlives it in this JVM, as it would in a
     * long-running bot. Answers how many events it handled.
     */
    private static int warmUp(FakeSlack slack, FakeAws aws, ElasticMq sqs) throws Exception {
        ElasticMq.Queues queues = sqs.createQueues("bench-warm-up", 5);
        try (DeploybotApp app = startOnQueue(slack, aws, queues)) {
            return warmUp(handledOnceDone -> {
                sqs.sendAll(queues.url(), events(WARM_UP_ROUND));
                awaitHandled(app, handledOnceDone, Instant.EPOCH);
            });
        }
    }

    private static DeploybotApp startOnQueue(FakeSlack slack, FakeAws aws, ElasticMq.Queues queues) {
        return DeploybotApp.start(slack, aws, configuration(Map.of(
                "deploybot.events.sqs.queue-url", queues.url(), "deploybot.events.sqs.wait-time", "1s")));
    }

    /** Wall time, and the CPU the bot and the JIT compiler used, since a moment. */
    private record Spent(long startedNanos, long cpuNanos, long compilerNanos) {
        static Spent since() {
            return new Spent(System.nanoTime(), processCpuNanos(), JitCompiler.cpuNanos());
        }

        double seconds() {
            return (System.nanoTime() - startedNanos) / 1e9;
        }

        /** How many cores the JIT compiler kept busy meanwhile. */
        double compilerCores() {
            return (JitCompiler.cpuNanos() - compilerNanos) / 1e9 / seconds();
        }

        /**
         * The CPU per event, {@code alsoCounted} included and the JIT compiler's share apart (it fades as a bot keeps
         * running), and how warm the JIT was.
         */
        String perEvent(int events, String alsoCounted, int warmUp) {
            double compilerCores = compilerCores();
            long compiler = JitCompiler.cpuNanos() - compilerNanos;
            return String.format("%.0f µs CPU each, %s included, the JIT compiler's apart; after %,d warm-up events, the compiler busy on %.1f cores meanwhile",
                    (processCpuNanos() - cpuNanos - compiler) / 1e3 / events, alsoCounted, warmUp, compilerCores);
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
