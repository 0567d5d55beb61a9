package dev.deploybot.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on 127.0.0.1 and an ephemeral port, shared by the fakes.
 * Bound to the loopback address by IP, not "localhost", so a test never reaches beyond this machine
 * and never depends on how the resolver orders IPv4/IPv6.
 */
final class LoopbackServer implements AutoCloseable {

    /** Handles one exchange; the server closes the exchange afterwards and turns exceptions into 500s. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static LoopbackServer start(String name, Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            // Unbounded pool: tests fire concurrent requests, and a bounded pool could deadlock a test whose
            // handler-side code (the app under test) calls back into the same fake.
            ExecutorService executor = Executors.newCachedThreadPool(daemonThreads(name));
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                try (exchange) {
                    handler.handle(exchange);
                } catch (Exception | AssertionError e) {
                    // A bug in a fake must show up as a loud 500, not as a hung or reset connection.
                    try {
                        respond(exchange, 500, "text/plain", name + " failed: " + e, Map.of());
                    } catch (IOException | RuntimeException ignored) {
                        // headers were already sent; the client sees a truncated response instead
                    }
                }
            });
            server.start();
            return new LoopbackServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body,
                        Map<String, String> headers) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
