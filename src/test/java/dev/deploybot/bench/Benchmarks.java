package dev.deploybot.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every benchmark, one after another, and one table of their figures, beside a bare Bolt-on-Micronaut app's where
 * both have one (start-up, ack latency). Run by the {@code bench} Maven profile
 * ({@code mvn -B -Pbench verify}); never part of {@code mvn test}. Speed is measured here, not asserted in tests.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args.length > 0 ? args[0] : "target/deploybot.jar");
        Path bareJar = Path.of(args.length > 1 ? args[1] : "target/bench-bare.jar");
        Path dependencies = Path.of(args.length > 2 ? args[2] : "target/bench-classpath.txt");
        // -Dbench.only=http,sqs runs some of them: startup, ack, http, sqs, release
        Set<String> only = Set.of(System.getProperty("bench.only", "startup,ack,http,sqs,release").split(","));
        List<Row> rows = new ArrayList<>();
        if (only.contains("startup") || only.contains("ack")) {
            try (Contenders contenders = Contenders.start(jar, bareJar, dependencies)) {
                if (only.contains("startup")) {
                    rows.addAll(StartupBenchmark.measure(contenders));
                }
                if (only.contains("ack")) {
                    rows.addAll(AckLatencyBenchmark.measure(contenders, 100, 300));
                }
            }
        }
        if (only.contains("http")) {
            rows.addAll(EventThroughputBenchmark.overHttp());
        }
        if (only.contains("sqs")) {
            rows.add(EventThroughputBenchmark.overSqs());
        }
        if (only.contains("release")) {
            rows.addAll(ReleaseBenchmark.measure());
        }
        System.out.println();
        System.out.printf("deploybot benchmarks: %d cores, Java %s, -Xmx%dm%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.println("| figure | deploybot | bare Bolt app | ratio | target |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(row -> System.out.printf("| %s | %s | %s | %s | %s |%n", row.figure(), row.value(), row.bare(),
                row.ratio(), row.target()));
        System.exit(0);
    }
}
