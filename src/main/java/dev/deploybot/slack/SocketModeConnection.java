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

/**
 * Slack's Socket Mode: with {@code SLACK_APP_TOKEN} set, the bot dials out to Slack ({@code apps.connections.open},
 * then a WebSocket) instead of waiting for HTTP requests, so it needs no public URL. Every envelope runs through
 * the same Bolt app, middleware and handlers as a request to {@code /slack/events}; Bolt acks it with its
 * {@code envelope_id} and the handler's answer. Slack rotates connections (a {@code disconnect} message a few
 * seconds ahead); the client opens the next one itself.
 */
@Singleton
@Requires(property = "deploybot.slack.app-token", pattern = "xapp-.+")
public class SocketModeConnection implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(SocketModeConnection.class);
    private final App app;
    private final SlackSettings settings;
    private SocketModeApp socketMode;

    public SocketModeConnection(App app, SlackSettings settings) {
        this.app = app;
        this.settings = settings;
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
            socketMode = new SocketModeApp(settings.getAppToken().orElseThrow(), app, SocketModeClient.Backend.Tyrus);
            socketMode.startAsync();
            LOG.info("Socket Mode connection to Slack opened");
        } catch (Exception e) {
            // The client keeps trying to reconnect on its own; a failed first attempt must not stop the bot.
            LOG.warn("Socket Mode connection to Slack could not be opened yet: {}", e.getMessage());
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
