package dev.deploybot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An endpoint that accepts every connection and never answers, not even with a status line: what a hung
 * AWS endpoint (or a black-holing proxy) looks like to a client. Point one service at it with its
 * {@code aws.endpointUrl<Service>} system property.
 */
public final class SilentEndpoint implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    private SilentEndpoint(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "silent-endpoint");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static SilentEndpoint start() {
        try {
            return new SilentEndpoint(new ServerSocket(0, 100, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** How many connections were accepted (and left unanswered). */
    public int connections() {
        return held.size();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
