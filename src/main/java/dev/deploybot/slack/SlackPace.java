package dev.deploybot.slack;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one pacing policy for talking to Slack: about one new message per second per channel (bursts beyond that
 * are answered with 429s), updates of one message spaced so that changes arriving meanwhile are shown together,
 * a channel Slack asked to wait ({@code Retry-After}) left alone until then, and failures retried with
 * growing pauses.
 */
@Singleton
class SlackPace {
    static final Duration POST_SPACING = Duration.ofSeconds(1);
    private final Duration updateSpacing;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final Map<String, Instant> channelFreeAt = new ConcurrentHashMap<>();

    SlackPace(@Value("${deploybot.slack.update-interval:2s}") Duration updateSpacing,
              @Value("${deploybot.slack.retry-delay:1s}") Duration retryDelay,
              @Value("${deploybot.slack.max-retry-delay:1m}") Duration maxRetryDelay) {
        this.updateSpacing = updateSpacing;
        this.retryDelay = retryDelay;
        this.maxRetryDelay = maxRetryDelay;
    }

    /** A new message may go to the channel now. */
    boolean mayPost(String channel, Instant now) {
        return !now.isBefore(channelFreeAt.getOrDefault(channel, Instant.MIN));
    }

    void posted(String channel, Instant now) {
        hold(channel, now.plus(POST_SPACING));
    }

    /** Slack said wait: nothing more to the channel until then. */
    void hold(String channel, Instant until) {
        channelFreeAt.merge(channel, until, (held, asked) -> held.isAfter(asked) ? held : asked);
    }

    /** When the same message may be updated again. */
    Instant nextUpdate(Instant now) {
        return now.plus(updateSpacing);
    }

    /** When to try again after {@code failures} failed attempts in a row. */
    Instant retryAt(Instant now, int failures) {
        Duration delay = retryDelay.multipliedBy(1L << Math.min(Math.max(failures, 0), 16));
        return now.plus(delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay);
    }
}
