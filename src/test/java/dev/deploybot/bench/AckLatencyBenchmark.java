package dev.deploybot.bench;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackRequests;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast Slack gets its answer to {@code /deploy help} at a fixed arrival rate (an open model: requests are
 * due at fixed times whether or not earlier ones were answered, and each latency counts from its due time, so
 * a stall shows in every request it delays). The real application against the fakes, over loopback.
 */
final class AckLatencyBenchmark {
    private static final int SECONDS_PER_RATE = 10;

    private AckLatencyBenchmark() {
    }

    static List<Row> measure(int... rates) {
        List<Row> rows = new ArrayList<>();
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start();
             DeploybotApp app = DeploybotApp.start(slack, aws, Map.of("deploybot.environments.stg.channel", "C0STG"))) {
            SlackRequests requests = app.slack();
            run(requests, 200, 5); // warm-up: the JIT, the pools, Bolt's first auth.test
            for (int rate : rates) {
                Result result = run(requests, rate, SECONDS_PER_RATE);
                String target = rate == 300 ? "within 1.2x of a bare Bolt app" : "";
                rows.add(new Row("`/deploy help` ack at " + rate + " req/s (open model), p50 / p99 / max",
                        String.format("%.2f / %.2f / %.2f ms%s", result.latency.millis(50), result.latency.millis(99),
                                result.latency.millis(100), result.failures > 0 ? " (" + result.failures + " not answered 200)" : ""),
                        target));
            }
        }
        return rows;
    }

    private record Result(Percentiles latency, int failures) {
    }

    private static Result run(SlackRequests requests, int rate, int seconds) {
        int total = rate * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService clients = Executors.newCachedThreadPool();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            LockSupport.parkNanos(due - System.nanoTime());
            clients.execute(() -> {
                try {
                    HttpResponse<String> ack = requests.slashCommand("U0BENCH", "C0STG", "/deploy", "help");
                    if (ack.statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                } catch (RuntimeException notAnswered) {
                    failures.incrementAndGet(); // counted, and its latency is the time it took to give up
                }
                micros.add((System.nanoTime() - due) / 1_000);
            });
        }
        clients.shutdown();
        try {
            clients.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Result(new Percentiles(new ArrayList<>(micros)), failures.get());
    }
}
