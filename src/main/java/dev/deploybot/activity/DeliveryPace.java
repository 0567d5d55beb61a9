package dev.deploybot.activity;

import java.time.Duration;
import java.util.Objects;

/**
 * How patiently Slack is talked to.
 *
 * @param retryDelay    the first wait after Slack could not be reached; doubled per failure, up to {@link #MAX_RETRY_DELAY}
 * @param updateSpacing the least time between two writes about one subject: changes arriving meanwhile are
 *                      shown together in one update instead of one {@code chat.update} each
 */
public record DeliveryPace(Duration retryDelay, Duration updateSpacing) {
    public static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);

    public DeliveryPace {
        Objects.requireNonNull(retryDelay, "retryDelay");
        Objects.requireNonNull(updateSpacing, "updateSpacing");
    }

    public Duration afterFailures(int failures) {
        Duration delay = retryDelay.multipliedBy(1L << Math.min(Math.max(failures, 0), 10));
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }
}
