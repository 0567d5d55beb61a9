package dev.deploybot.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How events from EventBridge come in and how their news goes out; validated by {@link EventConfiguration}.
 *
 * @param queueUrl          the SQS queue EventBridge rules deliver to; empty: no polling
 * @param queueWait         long-poll wait per receive (SQS allows up to 20 s)
 * @param batchSize         messages per receive (SQS allows up to 10)
 * @param threads           messages handled at once
 * @param visibilityTimeout how long a received message stays hidden; extended while it is being handled
 * @param queueRetryDelay   how soon a message that could not be handled comes back
 * @param apiKey            the key {@code POST /events/aws} requires; empty: the endpoint is off
 * @param apiKeyHeader      the header that carries it
 * @param maxBodyBytes      the largest event accepted over HTTP (EventBridge events are at most 256 KB)
 * @param deliveryInterval  how often news not yet handed to the outbox is looked for, even when nothing woke it
 * @param reconcileInterval how often CodeBuild is asked about builds whose end was not seen
 * @param retention         how long handled event ids are remembered to drop redeliveries
 * @param maxAttempts       how often an event is tried before it is set aside
 * @param httpRetryDelay    how soon an event accepted over HTTP whose handling did not finish is tried again
 */
public record EventSettings(Optional<String> queueUrl, Duration queueWait, int batchSize, int threads,
                            Duration visibilityTimeout, Duration queueRetryDelay, Optional<String> apiKey,
                            String apiKeyHeader, int maxBodyBytes, Duration deliveryInterval,
                            Duration reconcileInterval, Duration retention,
                            int maxAttempts, Duration httpRetryDelay) {

    @Override
    public String toString() {
        return "EventSettings[queueUrl=" + queueUrl.orElse("-") + ", apiKey=" + (apiKey.isPresent() ? "***" : "-")
                + ", apiKeyHeader=" + apiKeyHeader + "]";
    }
}
