package dev.deploybot.build;

import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;

/** Tells people about builds. */
public interface BuildAnnouncer {
    /**
     * Tells the environment's channel that the build started: stored, and delivered when the chat service takes
     * it; the build's later news updates the same message.
     */
    void started(Environment environment, StartedBuild build, GitRef ref, Actor requester);

    /** Tells only the requester that the CI service did not answer in time and is asked once more. */
    void askingAgain(Environment environment, GitRef ref, Actor requester, String channelId);

    /** Tells only the requester that the CI service did not answer again: the build may or may not have started. */
    void mayHaveStarted(Environment environment, GitRef ref, Actor requester, String channelId);

    /** Tells only the requester that the CI service refused. */
    void refused(Environment environment, GitRef ref, Actor requester, String channelId, ExternalFailure failure);
}
