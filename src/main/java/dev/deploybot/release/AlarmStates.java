package dev.deploybot.release;

import java.util.List;

/** Reads CloudWatch alarms. Failures surface as {@link dev.deploybot.core.ExternalFailure}. */
public interface AlarmStates {
    /** One state per name, in the order asked; a name CloudWatch does not know comes back {@code MISSING}. */
    List<AlarmState> read(List<String> names);
}
