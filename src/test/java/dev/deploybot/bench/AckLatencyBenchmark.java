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
 * JVM, over loopback. Both are warmed up until their JIT compilers are quiet; then they take turns, several
 * rounds each at each rate, and each program's percentiles are over all its rounds: in a single window of 15
 * seconds one stall of the machine moves a p99 of a few milliseconds by a third, for whichever program it hits.
 */
final class AckLatencyBenchmark {
    private static final int SECONDS_PER_ROUND = 15;
    private static final int ROUNDS_PER_RATE = 3;
    /** A bound, so a compiler that never settles still lets the bench finish (the warm-up row then says so). */
    private static final int MAX_WARM_UP_SECONDS = 120;

    private AckLatencyBenchmark() {
    }

    static List<Row> measure(Contenders contenders, int... rates) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Served bot = contenders.bot(); Served bare = contenders.bare()) {
            int botWarmUp = warmUp(bot);
            int bareWarmUp = warmUp(bare);
            rows.add(new Row("`/deploy help` at 300 req/s until the JIT compiler is quiet (warm-up)", botWarmUp + " s",
                    bareWarmUp + " s", "", ""));
            for (int rate : rates) {
                Result ofBot = Result.NONE;
                Result ofBare = Result.NONE;
                for (int round = 0; round < ROUNDS_PER_RATE; round++) {
                    ofBot = ofBot.and(run(bot, rate, SECONDS_PER_ROUND));
                    ofBare = ofBare.and(run(bare, rate, SECONDS_PER_ROUND));
                }
                String figure = "`/deploy help` ack at " + rate + " req/s (open model, " + ROUNDS_PER_RATE + " rounds of "
                        + SECONDS_PER_ROUND + " s each)";
                rows.add(new Row(figure + ", p50 / p99 / max; CPU per request", ofBot.summary(), ofBare.summary(), "", ""));
                rows.add(Row.compared(figure + ", p99", ofBot.percentiles().millis(99), ofBare.percentiles().millis(99), "ms",
                        rate == 300 ? "<= 1.2x" : ""));
            }
        }
        return rows;
    }

    /**
     * Rounds at 300 req/s until the program's JIT compiler goes quiet during one (or the bound is reached): the
     * figures are the program's steady state, as for a bot that has been running for a while, not its compiler's
     * first minutes, which on two cores compete with the requests. Answers the seconds it took.
     */
    private static int warmUp(Served program) {
        int seconds = 0;
        double compilerCores = Double.MAX_VALUE;
        while (compilerCores > JitCompiler.QUIET_CORES && seconds < MAX_WARM_UP_SECONDS) {
            compilerCores = run(program, 300, SECONDS_PER_ROUND).compilerNanos / 1e9 / SECONDS_PER_ROUND;
            seconds += SECONDS_PER_ROUND;
        }
        return seconds;
    }

    /** Rounds' latencies, and the CPU the program used meanwhile, its JIT compiler's apart. */
    private record Result(List<Long> micros, int failures, long cpuNanos, long compilerNanos) {
        static final Result NONE = new Result(List.of(), 0, 0, 0);

        Result and(Result other) {
            List<Long> both = new ArrayList<>(micros);
            both.addAll(other.micros);
            return new Result(both, failures + other.failures, cpuNanos + other.cpuNanos, compilerNanos + other.compilerNanos);
        }

        Percentiles percentiles() {
            return new Percentiles(micros);
        }

        String summary() {
            Percentiles latency = percentiles();
            return String.format("%.2f / %.2f / %.2f ms; %.0f µs%s", latency.millis(50), latency.millis(99), latency.millis(100),
                    cpuNanos / 1e3 / micros.size(), failures > 0 ? " (" + failures + " not answered 200)" : "");
        }
    }

    private static Result run(Served program, int rate, int seconds) {
        SlackRequests requests = program.requests();
        long cpu = program.cpuNanos();
        long compiler = program.compilerCpuNanos();
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
        long compiled = program.compilerCpuNanos() - compiler;
        return new Result(new ArrayList<>(micros), failures.get(), program.cpuNanos() - cpu - compiled, compiled);
    }
}
