package dev.deploybot.core;

import java.util.List;
import java.util.Optional;

/**
 * The builds the bot started, over one table: the build feature records them (and drops replays), the activity
 * feature reads whose build an event is about and follows the ones not seen to finish. Shared here because both
 * features need it and features do not import each other.
 */
public interface BuildLog {
    /** Records the build unless it is already known; false means someone recorded it first (a replay). */
    boolean recordIfNew(BuildRecord record);

    Optional<BuildRecord> find(String buildId);

    /** Records the final status, once: a later call for a finished build changes nothing. */
    void finished(String buildId, String status);

    /** Builds the bot started that have not been seen to finish, oldest first. */
    List<String> unfinished(int limit);
}
