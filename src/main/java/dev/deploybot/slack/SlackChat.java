package dev.deploybot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Every call the bot makes to Slack's Web API, one attempt each and never a wait: what must reach a channel
 * is stored and retried by the outbox ({@link OutboxDelivery}, under {@link SlackPace}); a private answer to
 * one person ({@code chat.postEphemeral}) or a look-up is tried once, since a late one helps nobody.
 */
@Singleton
public class SlackChat {
    private static final Logger LOG = LoggerFactory.getLogger(SlackChat.class);
    private static final long MAX_WAIT_SECONDS = 30;
    private final MethodsClient methods;

    public SlackChat(MethodsClient methods) {
        this.methods = methods;
    }

    public boolean whisper(String channel, String userId, String text) {
        return call("chat.postEphemeral", () -> methods.chatPostEphemeral(r -> r.channel(channel).user(userId).text(text)))
                .map(ChatPostEphemeralResponse::isOk).orElse(false);
    }

    /** A private message with blocks, seen only by {@code userId}. */
    public boolean whisper(String channel, String userId, SlackView view) {
        return call("chat.postEphemeral", () -> methods.chatPostEphemeral(r -> r.channel(channel).user(userId)
                .text(view.fallbackText()).blocks(view.blocks()))).map(ChatPostEphemeralResponse::isOk).orElse(false);
    }

    interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    /** One attempt; empty when Slack said no or could not be reached. */
    <T extends SlackApiTextResponse> Optional<T> call(String method, Call<T> call) {
        try {
            T response = call.run();
            if (response.isOk()) {
                return Optional.of(response);
            }
            LOG.warn("Slack {} answered {}", method, response.getError());
        } catch (SlackApiException e) {
            LOG.warn("Slack {} failed with HTTP {}", method, e.getResponse().code());
        } catch (IOException e) {
            LOG.warn("Slack {} could not be reached: {}", method, e.getClass().getSimpleName());
        }
        return Optional.empty();
    }

    /** How one delivery attempt ended, for the outbox, which keeps its own schedule. */
    public sealed interface Result permits Result.Ok, Result.Refused, Result.Unreachable {
        /** @param ts the message posted or updated */
        record Ok(String ts) implements Result {
        }

        /** Slack answered {@code ok:false} (or a 4xx): trying the same again will not help. */
        record Refused(String error) implements Result {
        }

        /**
         * Slack failed (5xx, rate limited) or could not be reached: worth trying later.
         *
         * @param retryAfter how long Slack asked us to wait (its {@code Retry-After}); null when it did not say
         */
        record Unreachable(Duration retryAfter) implements Result {
        }
    }

    /**
     * One attempt, no waiting: posts {@code text} / {@code blocks} (in the thread {@code threadTs} when set), or
     * updates message {@code ts} when set.
     */
    public Result deliverOnce(String channel, String threadTs, String ts, String text, String blocks) {
        String method = ts == null ? "chat.postMessage" : "chat.update";
        try {
            SlackApiTextResponse response = ts == null
                    ? methods.chatPostMessage(r -> r.channel(channel).threadTs(threadTs).text(text).blocksAsString(blocks)
                    .unfurlLinks(false))
                    : methods.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocksAsString(blocks));
            if (response.isOk()) {
                return new Result.Ok(response instanceof ChatPostMessageResponse posted ? posted.getTs() : ts);
            }
            if ("ratelimited".equals(response.getError())) {
                return new Result.Unreachable(Duration.ofSeconds(1));
            }
            LOG.warn("Slack {} answered {}", method, response.getError());
            return new Result.Refused(response.getError());
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                return new Result.Unreachable(Duration.ofSeconds(retryAfter(e)));
            }
            if (status >= 500) {
                return new Result.Unreachable(null);
            }
            LOG.warn("Slack {} failed with HTTP {}", method, status);
            return new Result.Refused("http_" + status);
        } catch (IOException e) {
            return new Result.Unreachable(null);
        }
    }

    private static long retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
        try {
            return header == null ? 1 : Math.min(MAX_WAIT_SECONDS, Math.max(1, Long.parseLong(header.trim())));
        } catch (NumberFormatException notANumber) {
            return 1;
        }
    }
}
