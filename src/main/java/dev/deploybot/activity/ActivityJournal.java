package dev.deploybot.activity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of what is tracked and what Slack has been shown of it: the outbox that makes every
 * accepted change reach Slack once, however often the event was delivered and however long Slack was away.
 * Writes are conditional on the version the caller read, so concurrent handlers and replicas cannot lose one.
 */
public interface ActivityJournal {
    Optional<Tracked> find(Subject subject);

    /** Starts tracking; false when someone else started first (read again and retry). */
    boolean insert(Tracked tracked, Instant now);

    /** Stores a newer state if the stored version is still {@code expectedVersion}; false otherwise. */
    boolean replace(Tracked tracked, long expectedVersion, Instant now);

    /** Tracked subjects Slack is behind on (or whose end reply is due), not waiting for a retry or claimed. */
    List<Tracked> due(Instant now, int limit);

    /** Takes the right to talk to Slack about the subject until {@code until}; false when another holds it. */
    boolean claim(Subject subject, String owner, Instant now, Instant until);

    /** The status message is posted (or adopted): remembers its ts; Slack now shows {@code version}. */
    void posted(Subject subject, String messageTs, long version, Instant nextAttemptAt);

    /** Slack shows {@code version} now (updated, or nothing to show); no earlier attempt for the subject until then. */
    void notified(Subject subject, long version, Instant nextAttemptAt);

    void replied(Subject subject, String replyTs);

    /** Slack could not be reached: try again at {@code retryAt}, and count the failed attempt. */
    void retryLater(Subject subject, Instant retryAt);

    /** Gives up the claim taken with {@link #claim}. */
    void release(Subject subject, String owner);

    /** How many attempts failed in a row; resets when one succeeds. */
    int attempts(Subject subject);
}
