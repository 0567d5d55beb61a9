package dev.deploybot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import dev.deploybot.config.SlackSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Slack's Socket Mode: with {@code SLACK_APP_TOKEN} set, the bot dials out to Slack ({@code apps.connections.open},
 * then a WebSocket) instead of waiting for HTTP requests, so it needs no public URL. Every envelope runs through
 * the same guard ({@link SocketModeEnvelopes}), Bolt app, middleware and handlers as a request to
 * {@code /slack/events}, and is acked with its {@code envelope_id} and the handler's answer. Slack rotates connections (a {@code disconnect} message a few
 * seconds ahead); the client opens the next one itself.
 */
@Singleton
@Requires(property = "deploybot.slack.app-token", pattern = "xapp-.+")
public class SocketModeConnection implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(SocketModeConnection.class);
    private final App app;
    private final SlackSettings settings;
    private final SocketModeEnvelopes envelopes;
    private SocketModeApp socketMode;

    SocketModeConnection(App app, SlackSettings settings, SocketModeEnvelopes envelopes) {
        this.app = app;
        this.settings = settings;
        this.envelopes = envelopes;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        // The first connection may take a while when Slack is slow; start-up (and /health) does not wait for it.
        Thread opener = new Thread(this::open, "socket-mode-open");
        opener.setDaemon(true);
        opener.start();
    }

    private synchronized void open() {
        try {
            String appToken = settings.getAppToken().orElseThrow();
            socketMode = new SocketModeApp(() -> client(appToken), app);
            socketMode.startAsync();
            LOG.info("Socket Mode connection to Slack opened");
        } catch (Exception e) {
            // The client keeps trying to reconnect on its own; a failed first attempt must not stop the bot.
            LOG.warn("Socket Mode connection to Slack could not be opened yet: {}", e.getMessage());
        }
    }

    /**
     * Bolt's own listener would parse and run envelopes unguarded (an unreadable one is left unacked, and logged
     * with its body); this client hands every message to the guard instead.
     */
    private SocketModeClient client(String appToken) {
        try {
            SocketModeClient client = app.slack().socketMode(appToken, SocketModeClient.Backend.Tyrus);
            client.addWebSocketMessageListener(message -> envelopes.answer(message).ifPresent(client::sendSocketModeResponse));
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PreDestroy
    synchronized void close() throws Exception {
        if (socketMode != null) {
            socketMode.close();
            socketMode = null;
        }
    }
}
