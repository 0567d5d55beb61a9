package dev.deploybot.activity;

import dev.deploybot.core.Progress;
import java.time.Instant;
import java.util.Objects;

/**
 * A CloudWatch alarm moved to {@code state} ({@code OK}, {@code ALARM} or {@code INSUFFICIENT_DATA}) at
 * {@code occurredAt}, the alarm's own time of the change (not the event's). The bake of a running release listens.
 *
 * @param reason CloudWatch's explanation, e.g. "Threshold Crossed: …"; may be null
 */
public record AlarmStateChanged(String alarmName, String state, String reason, Instant occurredAt) implements Change {
    public AlarmStateChanged {
        Objects.requireNonNull(alarmName, "alarmName");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public boolean firing() {
        return "ALARM".equals(state);
    }

    /** An alarm's state change is complete when it is told; there is nothing to follow. */
    @Override
    public Progress progress() {
        return Progress.SUCCEEDED;
    }
}
