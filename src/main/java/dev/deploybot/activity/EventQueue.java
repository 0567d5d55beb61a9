package dev.deploybot.activity;

import java.time.Duration;
import java.util.List;

/**
 * The queue EventBridge delivers events to. A received message stays invisible for a while; it is gone only
 * when deleted, so one that was not handled comes back, until the queue gives up on it (its dead-letter queue).
 */
public interface EventQueue {
    /** Waits up to {@code wait} for at most {@code max} messages, each invisible to others for {@code visibility}. */
    List<QueuedMessage> receive(int max, Duration wait, Duration visibility);

    void delete(QueuedMessage message);

    /** Keeps a message invisible for {@code visibility} from now on (longer while it is worked on, shorter to retry soon). */
    void setVisibility(QueuedMessage message, Duration visibility);

    /** @param receiveCount how often the queue handed this message out, this time included */
    record QueuedMessage(String messageId, String receipt, String body, int receiveCount) {
    }
}
