package dev.deploybot.build;

import java.util.Optional;

/** The bot's memory of the builds it started. */
public interface BuildLog {
    /** Records the build unless it is already known; false means someone recorded it first (a replay). */
    boolean recordIfNew(BuildRecord record);

    void attachMessage(String buildId, String channel, String messageTs);

    Optional<BuildRecord> find(String buildId);
}
