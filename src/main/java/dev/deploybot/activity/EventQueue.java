package dev.deploybot.activity;

import java.time.Duration;
import java.util.List;

/**
 * The queue EventBridge delivers events to. A received message stays invisible for a while; it is gone only
 * when deleted, so one that was not handled comes back, until the queue gives up on it (its dead-letter queue).
 * Deletes and visibility changes take a batch at once (at most 10 messages, SQS's limit).
 */
public interface EventQueue {
    /** Waits up to {@code wait} for at most {@code max} messages, each invisible to others for {@code visibility}. */
    List<QueuedMessage> receive(int max, Duration wait, Duration visibility);

    /** Deletes what was handled. A message that could not be deleted comes back and is recognised as a duplicate. */
    void delete(List<QueuedMessage> messages);

    /**
     * Keeps messages invisible for {@code visibility} from now on: longer while they are worked on, shorter to
     * retry soon, zero to hand them back at once.
     */
    void setVisibility(List<QueuedMessage> messages, Duration visibility);

    /** @param receiveCount how often the queue handed this message out, this time included */
    record QueuedMessage(String messageId, String receipt, String body, int receiveCount) {
    }
}
