package dev.deploybot.bench;

import dev.deploybot.testing.DeploybotApp;
import dev.deploybot.testing.SlackRequests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program started in its own JVM and answering signed Slack requests on its own port: Micronaut's own
 * "Startup completed in", and the time from process start to the first answered signed {@code /deploy help}.
 * Closing it stops it the way an operator does (SIGTERM), which also writes a class-data archive when asked to.
 */
final class Served implements AutoCloseable {
    private static final Pattern COMPLETED = Pattern.compile("Startup completed in (\\d+)ms");
    private final Process process;
    private final SlackRequests requests;
    private final long started;
    private final long completedMillis;
    private final long firstAnswerMillis;

    private Served(Process process, SlackRequests requests, long started, long completedMillis, long firstAnswerMillis) {
        this.process = process;
        this.requests = requests;
        this.started = started;
        this.completedMillis = completedMillis;
        this.firstAnswerMillis = firstAnswerMillis;
    }

    static Served start(List<String> command, Map<String, String> environment) throws Exception {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> withPort = new HashMap<>(environment);
        withPort.put("PORT", Integer.toString(port));
        builder.environment().putAll(withPort);
        long started = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<Long> completed = new CompletableFuture<>();
        Thread reader = new Thread(() -> readOutput(process, completed), "bench-output");
        reader.setDaemon(true);
        reader.start();
        SlackRequests requests = new SlackRequests(URI.create("http://127.0.0.1:" + port), DeploybotApp.SIGNING_SECRET);
        try {
            long firstAnswer = awaitFirstAnswer(requests, process, started, port);
            return new Served(process, requests, started, completed.get(30, TimeUnit.SECONDS), firstAnswer);
        } catch (Exception | Error e) {
            stop(process);
            throw e;
        }
    }

    long completedMillis() {
        return completedMillis;
    }

    long firstAnswerMillis() {
        return firstAnswerMillis;
    }

    /** CPU the program used so far, all its threads, its JIT compiler's included. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** CPU its JIT compiler used so far. */
    long compilerCpuNanos() {
        return JitCompiler.cpuNanos(process.pid());
    }

    SlackRequests requests() {
        return requests;
    }

    /** Milliseconds from process start until {@code command} is answered with a 200. */
    long answeredAfter(String command) {
        HttpResponse<String> answer = requests.slashCommand("U0BENCH", "C0STG", "/deploy", command);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("/deploy " + command + " answered " + answer.statusCode());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Override
    public void close() throws InterruptedException {
        stop(process);
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * Knocks on the port (a refused TCP connection costs next to nothing) and sends the signed request once it is
     * open. Sending the request itself every 5 ms while the port was closed cost this JVM an HTTP client's failure
     * path each time (exceptions, futures, its selector thread): CPU taken from the program being started on a 2-core
     * machine, during the very start being measured (README, "Where start-up time goes").
     */
    private static long awaitFirstAnswer(SlackRequests requests, Process process, long started, int port) throws InterruptedException {
        long deadline = started + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the program stopped during start-up");
            }
            if (listens(port)) {
                try {
                    if (requests.slashCommand("U0BENCH", "C0STG", "/deploy", "help").statusCode() == 200) {
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    }
                } catch (RuntimeException notAnsweringYet) {
                    // open but not serving yet: knock again
                }
            }
            Thread.sleep(5); // polling a port that is not open yet; nothing to wait on but time
        }
        throw new IllegalStateException("no answer within 120 s");
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException closed) {
            return false;
        }
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
