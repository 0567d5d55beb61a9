package dev.deploybot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import dev.deploybot.config.InvalidConfiguration;
import dev.deploybot.config.SlackSettings;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who the bot is in Slack, asked once at start-up ({@code auth.test}) so that a revoked token is found
 * by the operator starting the bot, not by the first person typing a command. Requests then use this
 * answer instead of Bolt asking Slack again on the first one (which turned "Slack unreachable" into a 500).
 * It asks (and builds the Web API client it needs, TLS set-up included) on a thread of its own once the HTTP
 * server takes requests: during the start it took the two cores from the start itself. The process waits for the
 * answer right after ({@code Application.launch}), so a refused token still stops it with one line; a request
 * that comes first waits for it as well, and asks it when nothing has yet (an application context without a server).
 */
@Singleton
public class SlackIdentity implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(SlackIdentity.class);
    /** Errors that mean the token itself is wrong, as opposed to Slack being unwell. */
    private static final Set<String> TOKEN_REFUSED = Set.of("invalid_auth", "not_authed", "account_inactive",
            "token_revoked", "token_expired", "not_allowed_token_type");

    /** What start-up learned. */
    public sealed interface Connection {
        record Verified(String teamId, String botUserId) implements Connection {
        }

        /** Slack said no to the token; only with {@code deploybot.slack.allow-degraded-start}. */
        record Refused(String error) implements Connection {
        }

        record Unreachable(String reason) implements Connection {
        }
    }

    private final CompletableFuture<Connection> connection = new CompletableFuture<>();
    private final AtomicBoolean asked = new AtomicBoolean();
    private final Provider<MethodsClient> methods;
    private final SlackSettings settings;

    public SlackIdentity(Provider<MethodsClient> methods, SlackSettings settings) {
        this.methods = methods;
        this.settings = settings;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent started) {
        ask();
    }

    /** Asks Slack on a thread of its own, once. */
    private void ask() {
        if (!asked.compareAndSet(false, true)) {
            return;
        }
        Thread asking = new Thread(() -> {
            try {
                connection.complete(check(methods.get(), settings));
            } catch (RuntimeException e) {
                connection.completeExceptionally(e);
            }
        }, "slack-auth-test");
        asking.setDaemon(true);
        asking.start();
    }

    public Connection connection() {
        ask();
        try {
            return connection.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static Connection check(MethodsClient methods, SlackSettings settings) {
        AuthTestResponse response;
        try {
            response = methods.authTest(request -> request);
        } catch (IOException | SlackApiException e) {
            String reason = e instanceof SlackApiException api ? "HTTP " + api.getResponse().code() : e.getClass().getSimpleName();
            LOG.warn("Slack could not be reached at start-up to check the bot token (auth.test: {}); "
                    + "commands are answered once it can be", reason);
            return new Connection.Unreachable(reason);
        }
        if (response.isOk()) {
            LOG.info("Slack token checked: bot user {} in team {}", response.getUserId(), response.getTeamId());
            return new Connection.Verified(response.getTeamId(), response.getUserId());
        }
        String error = response.getError();
        if (TOKEN_REFUSED.contains(error) && !settings.isAllowDegradedStart()) {
            throw new InvalidConfiguration(List.of("SLACK_BOT_TOKEN: Slack refused it (" + error
                    + "); copy the Bot User OAuth Token from the app's OAuth page again"
                    + " (or set deploybot.slack.allow-degraded-start: true to start anyway)"));
        }
        LOG.warn("Slack answered auth.test with {}; starting degraded as configured", error);
        return new Connection.Refused(error);
    }
}
