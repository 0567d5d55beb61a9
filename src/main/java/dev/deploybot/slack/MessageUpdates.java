package dev.deploybot.slack;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces {@code chat.update}s of one message: Slack allows about 50 a minute, and a deployment can
 * report progress faster. Only the latest view of a message is kept; it is sent at most once per
 * interval, and kept and retried while Slack is unavailable.
 */
@Singleton
class MessageUpdates {
    private final SlackChat chat;
    private final long intervalMillis;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "slack-message-updates");
        thread.setDaemon(true);
        return thread;
    });

    MessageUpdates(SlackChat chat, @Value("${deploybot.slack.update-interval:2s}") Duration interval) {
        this.chat = chat;
        this.intervalMillis = interval.toMillis();
    }

    private record Pending(String channel, String ts, SlackView view) {
    }

    void update(String channel, String ts, SlackView view) {
        String key = channel + "/" + ts;
        if (pending.put(key, new Pending(channel, ts, view)) == null) {
            long wait = Math.max(0, lastSent.getOrDefault(key, 0L) + intervalMillis - System.currentTimeMillis());
            scheduler.schedule(() -> flush(key), wait, TimeUnit.MILLISECONDS);
        }
    }

    private void flush(String key) {
        Pending latest = pending.remove(key);
        if (latest == null) {
            return;
        }
        lastSent.put(key, System.currentTimeMillis());
        if (!chat.update(latest.channel(), latest.ts(), latest.view())) {
            // Slack is down or refusing: keep the newest view and try again, unless a newer one arrived.
            if (pending.putIfAbsent(key, latest) == null) {
                scheduler.schedule(() -> flush(key), Math.max(intervalMillis, 5_000), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends what is waiting before the process stops, so the last state is not lost on shutdown. */
    @PreDestroy
    void drain() {
        scheduler.shutdownNow();
        pending.keySet().forEach(this::flush);
    }
}
