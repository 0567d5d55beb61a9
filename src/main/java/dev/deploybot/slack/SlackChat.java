package dev.deploybot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostEphemeralResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.block.LayoutBlock;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * Posting to Slack with the patience Slack asks for: a 429 waits for {@code Retry-After}, a 5xx or a
 * broken connection is tried again a few times. Answers empty when Slack still says no.
 */
@Singleton
public class SlackChat {
    private static final Logger LOG = LoggerFactory.getLogger(SlackChat.class);
    private static final int ATTEMPTS = 4;
    private static final long MAX_WAIT_SECONDS = 30;
    private final MethodsClient methods;

    public SlackChat(MethodsClient methods) {
        this.methods = methods;
    }

    public Optional<String> post(String channel, SlackView view) {
        return call("chat.postMessage", () -> methods.chatPostMessage(r -> r.channel(channel)
                .text(view.fallbackText()).blocks(view.blocks()).unfurlLinks(false)))
                .map(ChatPostMessageResponse::getTs);
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

    <T extends SlackApiTextResponse> Optional<T> call(String method, Call<T> call) {
        return Optional.ofNullable(exchange(method, call).response());
    }

    /** How one call ended, for callers that keep their own retry schedule (the activity outbox). */
    public sealed interface Result permits Result.Ok, Result.Refused, Result.Unreachable {
        /** @param ts the message posted or updated */
        record Ok(String ts) implements Result {
        }

        /** Slack answered {@code ok:false} (or a 4xx): trying the same again will not help. */
        record Refused(String error) implements Result {
        }

        /**
         * Slack failed (5xx, rate limits past our patience) or could not be reached: worth trying later.
         *
         * @param retryAfter how long Slack asked us to wait (its {@code Retry-After}); null when it did not say
         */
        record Unreachable(java.time.Duration retryAfter) implements Result {
        }
    }

    /** Posts a message, in a thread when {@code threadTs} is set. */
    public Result postMessage(String channel, String threadTs, SlackView view) {
        Exchange<ChatPostMessageResponse> exchange = exchange("chat.postMessage", () -> methods.chatPostMessage(r -> r
                .channel(channel).threadTs(threadTs).text(view.fallbackText()).blocks(view.blocks()).unfurlLinks(false)));
        return exchange.result(ChatPostMessageResponse::getTs);
    }

    public Result updateMessage(String channel, String ts, SlackView view) {
        return exchange("chat.update", () -> methods.chatUpdate(r -> r.channel(channel).ts(ts)
                .text(view.fallbackText()).blocks(view.blocks()))).result(response -> ts);
    }

    /**
     * One attempt, no waiting: posts {@code view} (in the thread {@code threadTs} when set), or updates message
     * {@code ts} when set. The outbox keeps its own schedule, so a refusal to wait here is the point.
     */
    public Result deliverOnce(String channel, String threadTs, String ts, String text, String blocks) {
        try {
            SlackApiTextResponse response = ts == null
                    ? methods.chatPostMessage(r -> r.channel(channel).threadTs(threadTs).text(text).blocksAsString(blocks)
                    .unfurlLinks(false))
                    : methods.chatUpdate(r -> r.channel(channel).ts(ts).text(text).blocksAsString(blocks));
            if (response.isOk()) {
                return new Result.Ok(response instanceof ChatPostMessageResponse posted ? posted.getTs() : ts);
            }
            if ("ratelimited".equals(response.getError())) {
                return new Result.Unreachable(java.time.Duration.ofSeconds(1));
            }
            LOG.warn("Slack {} answered {}", ts == null ? "chat.postMessage" : "chat.update", response.getError());
            return new Result.Refused(response.getError());
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                return new Result.Unreachable(java.time.Duration.ofSeconds(retryAfter(e)));
            }
            if (status >= 500) {
                return new Result.Unreachable(null);
            }
            LOG.warn("Slack {} failed with HTTP {}", ts == null ? "chat.postMessage" : "chat.update", status);
            return new Result.Refused("http_" + status);
        } catch (IOException e) {
            return new Result.Unreachable(null);
        }
    }

    /** @param response set when Slack said ok; {@code refusal} set when it said no for good; neither: unreachable */
    private record Exchange<T>(T response, String refusal) {
        Result result(java.util.function.Function<T, String> ts) {
            if (response != null) {
                return new Result.Ok(ts.apply(response));
            }
            return refusal != null ? new Result.Refused(refusal) : new Result.Unreachable(null);
        }
    }

    private <T extends SlackApiTextResponse> Exchange<T> exchange(String method, Call<T> call) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                T response = call.run();
                if (response.isOk()) {
                    return new Exchange<>(response, null);
                }
                if (!"ratelimited".equals(response.getError())) {
                    LOG.warn("Slack {} answered {}", method, response.getError());
                    return new Exchange<>(null, response.getError());
                }
                pause(method, 1, attempt);
            } catch (SlackApiException e) {
                int status = e.getResponse().code();
                if (status == 429) {
                    pause(method, retryAfter(e), attempt);
                } else if (status >= 500) {
                    pause(method, attempt, attempt);
                } else {
                    LOG.warn("Slack {} failed with HTTP {}", method, status);
                    return new Exchange<>(null, "http_" + status);
                }
            } catch (IOException e) {
                pause(method, attempt, attempt);
            }
        }
        LOG.warn("Slack {} still failing after {} attempts", method, ATTEMPTS);
        return new Exchange<>(null, null);
    }

    private static long retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
        try {
            return header == null ? 1 : Math.min(MAX_WAIT_SECONDS, Math.max(1, Long.parseLong(header.trim())));
        } catch (NumberFormatException notANumber) {
            return 1;
        }
    }

    private static void pause(String method, long seconds, int attempt) {
        if (attempt == ATTEMPTS) {
            return;
        }
        LOG.info("Slack {} is busy or failing; trying again in {}s", method, seconds);
        try {
            Thread.sleep(seconds * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
