package dev.deploybot.aws;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one kind of AWS call may take: each attempt (one HTTP exchange), and all attempts together, the
 * SDK's own retries included. Without it a hung endpoint holds a call for minutes (4 attempts of 30 s reads).
 */
public record CallBudget(Duration attempt, Duration total) {
    public CallBudget {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(total, "total");
        if (attempt.isNegative() || attempt.isZero() || total.compareTo(attempt) < 0) {
            throw new IllegalArgumentException("a call budget needs 0 < attempt <= total, not " + attempt + " and " + total);
        }
    }
}
