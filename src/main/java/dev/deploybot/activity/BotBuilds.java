package dev.deploybot.activity;

import java.util.List;
import java.util.Optional;

/** The builds the bot itself started: who asked, and the message it posted when it started them. */
public interface BotBuilds {
    Optional<BotBuild> find(String buildId);

    /** Records the final status, once: a later call for a finished build changes nothing. */
    void finished(String buildId, String status);

    /** Builds the bot started that have not been seen to finish, oldest first. */
    List<String> unfinished(int limit);

    /**
     * @param channel   where the start message is; null when posting it failed
     * @param messageTs the start message; null when posting it failed
     */
    record BotBuild(String buildId, String environment, String ref, String requester, String channel, String messageTs) {
    }
}
