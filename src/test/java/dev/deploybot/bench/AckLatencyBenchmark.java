package dev.deploybot.bench;

import dev.deploybot.testing.SlackRequests;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast Slack gets its answer to {@code /deploy help} at a fixed arrival rate (an open model: requests are
 * due at fixed times whether or not earlier ones were answered, and each latency counts from its due time, so
 * a stall shows in every request it delays), from the bot's packaged jar and from the bare app, each in its own
 * JVM, over loopback; the two take turns at each rate.
 */
final class AckLatencyBenchmark {
    private static final int SECONDS_PER_RATE = 15;

    private AckLatencyBenchmark() {
    }

    static List<Row> measure(Contenders contenders, int... rates) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Served bot = contenders.bot(); Served bare = contenders.bare()) {
            // Warm-up: the JIT (which on two cores competes with the requests while it compiles), the pools,
            // Bolt's first auth.test. Long enough for both programs to reach their steady state.
            run(bot.requests(), 300, 15);
            run(bare.requests(), 300, 15);
            for (int rate : rates) {
                Result ofBot = run(bot.requests(), rate, SECONDS_PER_RATE);
                Result ofBare = run(bare.requests(), rate, SECONDS_PER_RATE);
                String figure = "`/deploy help` ack at " + rate + " req/s (open model)";
                rows.add(new Row(figure + ", p50 / p99 / max", ofBot.summary(), ofBare.summary(), "", ""));
                rows.add(Row.compared(figure + ", p99", ofBot.latency.millis(99), ofBare.latency.millis(99), "ms",
                        rate == 300 ? "<= 1.2x" : ""));
            }
        }
        return rows;
    }

    private record Result(Percentiles latency, int failures) {
        String summary() {
            return String.format("%.2f / %.2f / %.2f ms%s", latency.millis(50), latency.millis(99), latency.millis(100),
                    failures > 0 ? " (" + failures + " not answered 200)" : "");
        }
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
