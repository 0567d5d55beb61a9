package dev.deploybot.bench;

import dev.deploybot.testing.EventRequests;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One sender of events over one kept-alive HTTP/1.1 connection, writing and reading on the calling thread. The
 * load of the event bench runs on the same two cores as the bot; the JDK's HttpClient hands every request
 * between the caller, its selector thread and a worker (three wake-ups per request, with their CPU), which the
 * bot's figure then paid for. EventBridge's senders are on machines of their own. Not for tests: it reads only
 * what the bot's answers to {@code POST /events/aws} contain (a status line, headers with a Content-Length, a body).
 */
final class EventSender implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] head;

    EventSender(URI appBaseUrl, String apiKey) {
        try {
            socket = new Socket(appBaseUrl.getHost(), appBaseUrl.getPort());
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + appBaseUrl, e);
        }
        head = ("POST /events/aws HTTP/1.1\r\nHost: " + appBaseUrl.getHost() + ":" + appBaseUrl.getPort()
                + "\r\nContent-Type: application/json; charset=utf-8\r\nUser-Agent: Amazon/EventBridge/ApiDestinations\r\n"
                + EventRequests.HEADER + ": " + apiKey + "\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Posts one event and answers the status code of the answer. */
    int post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            out.write(head);
            out.write((bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            return readAnswer();
        } catch (IOException e) {
            throw new UncheckedIOException("posting an event failed", e);
        }
    }

    private int readAnswer() throws IOException {
        String status = line();
        int contentLength = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                contentLength = Integer.parseInt(header.substring("content-length:".length()).strip());
            }
        }
        in.skipNBytes(contentLength);
        return Integer.parseInt(status.split(" ", 3)[1]);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the bot closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The bench is over with this connection either way.
        }
    }
}
