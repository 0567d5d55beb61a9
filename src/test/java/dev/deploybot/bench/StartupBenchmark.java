package dev.deploybot.bench;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.FakeAws;
import dev.deploybot.testing.FakeSlack;
import dev.deploybot.testing.SlackRequests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up of the packaged bot as an operator runs it ({@code java -jar target/deploybot.jar}, H2 in a data
 * directory that already exists, as on every restart): Micronaut's own "Startup completed in", and the time from
 * process start to the first answered signed {@code /deploy help}. Once plainly, once with the class-data archive
 * the README's run command creates (AppCDS); runs alternate, the median is shown.
 */
final class StartupBenchmark {
    private static final Pattern COMPLETED = Pattern.compile("Startup completed in (\\d+)ms");
    private static final int RUNS = 3;

    private StartupBenchmark() {
    }

    static List<Row> measure(Path jar) throws Exception {
        Path work = Files.createTempDirectory("deploybot-bench-start");
        Path archive = work.resolve("deploybot.jsa");
        Path config = work.resolve("deploybot.yml");
        Files.writeString(config, "deploybot:\n  environments:\n    stg:\n      channel: C0STG\n      build:\n        project: app-stg\n");
        List<Long> plainCompleted = new ArrayList<>();
        List<Long> plainFirstAnswer = new ArrayList<>();
        List<Long> cdsCompleted = new ArrayList<>();
        List<Long> cdsFirstAnswer = new ArrayList<>();
        try (FakeSlack slack = FakeSlack.start(); FakeAws aws = FakeAws.start()) {
            // The first start creates the database and the archive, as the README's first run does.
            Start first = start(jar, work, config, slack, aws, "-XX:ArchiveClassesAtExit=" + archive);
            for (int run = 0; run < RUNS; run++) {
                Start plain = start(jar, work, config, slack, aws);
                plainCompleted.add(plain.completedMillis);
                plainFirstAnswer.add(plain.firstAnswerMillis);
                Start shared = start(jar, work, config, slack, aws, "-XX:SharedArchiveFile=" + archive);
                cdsCompleted.add(shared.completedMillis);
                cdsFirstAnswer.add(shared.firstAnswerMillis);
            }
            return List.of(
                    new Row("start-up, first run (creates the database and the class-data archive)",
                            first.completedMillis + " ms \"Startup completed\", " + first.firstAnswerMillis + " ms to first answer", ""),
                    new Row("start-up: \"Startup completed in\", median of " + RUNS, String.format("%.0f ms plain, %.0f ms with AppCDS",
                            Percentiles.median(plainCompleted), Percentiles.median(cdsCompleted)), "<= 1,500 ms"),
                    new Row("process start -> first signed `/deploy help` answered, median of " + RUNS,
                            String.format("%.0f ms plain, %.0f ms with AppCDS", Percentiles.median(plainFirstAnswer),
                                    Percentiles.median(cdsFirstAnswer)), "within 1.2x of a bare Bolt app"));
        }
    }

    private record Start(long completedMillis, long firstAnswerMillis) {
    }

    private static Start start(Path jar, Path work, Path config, FakeSlack slack, FakeAws aws, String... jvmOptions)
            throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of(
                "SLACK_BOT_TOKEN", FakeSlack.DEFAULT_TOKEN,
                "SLACK_SIGNING_SECRET", DeploybotApp.SIGNING_SECRET,
                "SLACK_API_URL", slack.apiUrl(),
                "AWS_REGION", FakeAws.REGION,
                "AWS_ENDPOINT_URL", aws.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "AKIDTEST",
                "AWS_SECRET_ACCESS_KEY", "secret",
                "DEPLOYBOT_DATA_DIR", work.resolve("data").toString(),
                "PORT", Integer.toString(port),
                "MICRONAUT_CONFIG_FILES", config.toString()));
        long started = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<Long> completed = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, completed), "bench-startup-output");
        reader.setDaemon(true);
        reader.start();
        try {
            SlackRequests requests = new SlackRequests(URI.create("http://127.0.0.1:" + port), DeploybotApp.SIGNING_SECRET);
            long firstAnswer = awaitFirstAnswer(requests, process, started);
            return new Start(completed.get(30, TimeUnit.SECONDS), firstAnswer);
        } finally {
            process.destroy(); // SIGTERM: a clean stop, which also writes the class-data archive when asked to
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static long awaitFirstAnswer(SlackRequests requests, Process process, long started) throws InterruptedException {
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the bot stopped during start-up");
            }
            try {
                if (requests.slashCommand("U0BENCH", "C0STG", "/deploy", "help").statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                }
            } catch (RuntimeException notListeningYet) {
                Thread.sleep(5); // polling a port that is not open yet; nothing to wait on but time
            }
        }
        throw new IllegalStateException("no answer within 120 s");
    }

    private static void readOutput(Process process, CompletableFuture<Long> completed) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher matcher = COMPLETED.matcher(line);
                if (matcher.find()) {
                    completed.complete(Long.parseLong(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            completed.completeExceptionally(new UncheckedIOException(e));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
