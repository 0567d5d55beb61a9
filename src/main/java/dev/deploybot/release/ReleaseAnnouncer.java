package dev.deploybot.release;

import java.util.Optional;

/** Tells the environment's channel about a release, in one message kept up to date and its thread. */
public interface ReleaseAnnouncer {
    /** Posts the approval request; returns the message timestamp when posted. */
    Optional<String> requested(ReleaseRequest request);

    /** Re-renders the request's message for its current state, with a one-line status. */
    void updated(ReleaseRequest request, String status);

    /** Adds a line of step-by-step detail to the message's thread. */
    void detail(ReleaseRequest request, String line);

    /** Tells the environment's channel that the service does not run what the release tag names. */
    void drift(String environment, String releaseTag, String taggedDigest, String runningDigest);
}
