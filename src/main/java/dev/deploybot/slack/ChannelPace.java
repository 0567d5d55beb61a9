package dev.deploybot.slack;

import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Slack allows about one {@code chat.postMessage} per second per channel; bursts beyond that are answered
 * with 429s. Waiting our turn here keeps a backlog (after an outage, say) from running into them.
 */
@Singleton
class ChannelPace {
    static final Duration SPACING = Duration.ofSeconds(1);
    private final Map<String, Long> nextPostNanos = new HashMap<>();

    /** Blocks until a post to the channel keeps to the pace, and books that slot. */
    void awaitTurn(String channel) {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextPostNanos.getOrDefault(channel, now));
            nextPostNanos.put(channel, slot + SPACING.toNanos());
            wait = slot - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
