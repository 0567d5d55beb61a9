package dev.deploybot.activity;

import java.util.Optional;

/**
 * The latest known state of each CloudWatch alarm, as events told it. Shared by all replicas, so the one that
 * bakes a release sees an event whichever replica received it.
 */
public interface AlarmLog {
    /** Keeps the change unless the alarm's state is already known from the same or a later time; true when kept. */
    boolean record(AlarmStateChanged change);

    Optional<AlarmStateChanged> latest(String alarmName);
}
