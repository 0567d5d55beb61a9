package dev.deploybot.bench;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackRequests;

import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How fast Slack gets its answer. Slack gives up on a slash command after 3 s, so the ack path (signature
 * check, parsing, routing, one audit write) must stay far below that. Starts the real application against
 * the fakes on loopback and sends signed {@code /deploy stg} commands one after another; prints latency
 * percentiles and heap use. Numbers, not a test: run it with
 * {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.deploybot.bench.AckLatencyBenchmark}.
 */
public final class AckLatencyBenchmark {
    private static final int WARM_UP = 200;
    private static final int MEASURED = 2000;

    private AckLatencyBenchmark() {
    }

    public static void main(String[] args) {
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start()) {
            aws.codeBuild().createProject("app-stg");
            try (DeploybotApp app = DeploybotApp.start(slack, aws, Map.of(
                    "deploybot.environments.stg.channel", "C0STG",
                    "deploybot.environments.stg.build.project", "app-stg",
                    "deploybot.work.queue", "10000"))) {
                SlackRequests requests = app.slack();
                for (int i = 0; i < WARM_UP; i++) {
                    requests.slashCommand("U0BENCH", "C0STG", "/deploy", "stg main");
                }
                List<Long> micros = new ArrayList<>();
                for (int i = 0; i < MEASURED; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> ack = requests.slashCommand("U0BENCH", "C0STG", "/deploy", "stg main");
                    micros.add((System.nanoTime() - start) / 1_000);
                    if (ack.statusCode() != 200) {
                        throw new IllegalStateException("ack " + ack.statusCode());
                    }
                }
                Collections.sort(micros);
                System.gc();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
                System.out.printf("/deploy stg ack over loopback, %d signed requests after %d warm-up:%n", MEASURED, WARM_UP);
                System.out.printf("  p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", percentile(micros, 50),
                        percentile(micros, 90), percentile(micros, 99), micros.get(micros.size() - 1) / 1000.0);
                System.out.printf("  heap used after GC (app, fakes and client in one JVM): %d MiB%n", heap);
            }
        }
        System.exit(0);
    }

    private static double percentile(List<Long> sorted, int percent) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100)) / 1000.0;
    }
}
