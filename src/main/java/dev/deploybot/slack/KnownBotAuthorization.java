package dev.deploybot.slack;

import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.response.Response;
import org.slf4j.MDC;

/**
 * Takes Bolt's place of asking {@code auth.test} on a request: the bot has one workspace and its token
 * was checked at start-up ({@link SlackIdentity}), so a request only needs the token and, when known,
 * the bot's own user id. A command is never refused because Slack was unreachable a moment ago.
 * It also names the request in the log context.
 */
final class KnownBotAuthorization implements Middleware {
    private static final java.util.concurrent.atomic.AtomicLong REQUESTS =
            new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() << 8);
    private final AppConfig config;
    private final SlackIdentity identity;

    KnownBotAuthorization(AppConfig config, SlackIdentity identity) {
        this.config = config;
        this.identity = identity;
    }

    @Override
    public Response apply(Request request, Response response, MiddlewareChain chain) throws Exception {
        var context = request.getContext();
        if (context.getBotToken() == null) {
            context.setBotToken(config.getSingleTeamBotToken());
        }
        if (identity.connection() instanceof SlackIdentity.Connection.Verified verified) {
            context.setBotUserId(verified.botUserId());
            if (context.getTeamId() == null) {
                context.setTeamId(verified.teamId());
            }
        }
        // Every log line written while answering this request carries its id (JSON logs: mdc.request).
        MDC.put("request", Long.toHexString(REQUESTS.incrementAndGet()));
        try {
            return chain.next(request);
        } finally {
            MDC.remove("request");
        }
    }
}
