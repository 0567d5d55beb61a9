package dev.deploybot.build;

import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ExternalFailure;

import java.util.Optional;

/** Tells people about builds. */
public interface BuildAnnouncer {
    /** Posts the "build started" message in the environment's channel; returns its timestamp when posted. */
    Optional<String> started(Environment environment, StartedBuild build, GitRef ref, Actor requester);

    /** Tells only the requester that the CI service refused. */
    void refused(Environment environment, GitRef ref, Actor requester, String channelId, ExternalFailure failure);
}
