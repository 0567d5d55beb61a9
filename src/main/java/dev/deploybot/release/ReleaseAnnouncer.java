package dev.deploybot.release;

/**
 * The narrator of releases: tells the environment's channel, in one message kept up to date and its thread.
 * Never blocks on the chat service: what it is told is stored and delivered later, in order.
 */
public interface ReleaseAnnouncer {
    void tell(ReleaseRequest request, ReleaseNews news);

    /** Tells the environment's channel that the service does not run what the release tag names. */
    void drift(String environment, String releaseTag, String taggedDigest, String runningDigest);
}
