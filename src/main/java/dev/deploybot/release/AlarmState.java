package dev.deploybot.release;

import java.time.Instant;
import java.util.Objects;

/**
 * One CloudWatch alarm as a bake sees it.
 *
 * @param since  when the alarm entered its condition; null when it does not exist
 * @param reason CloudWatch's explanation; may be null
 */
public record AlarmState(String name, Condition condition, Instant since, String reason) {
    public AlarmState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
    }

    public static AlarmState missing(String name) {
        return new AlarmState(name, Condition.MISSING, null, null);
    }

    public boolean firing() {
        return condition == Condition.ALARM;
    }

    public enum Condition {
        OK, ALARM, INSUFFICIENT_DATA,
        /** CloudWatch knows no alarm of that name: a configuration error, never read as "fine". */
        MISSING
    }
}
