package dev.deploybot.activity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of what is tracked and how much of it the outbox was given: every accepted change is
 * handed to the outbox once, however often the event was delivered. Writes are conditional on the version the
 * caller read, so concurrent handlers and replicas cannot lose one.
 */
public interface ActivityJournal {
    Optional<Tracked> find(Subject subject);

    /** Starts tracking; false when someone else started first (read again and retry). */
    boolean insert(Tracked tracked, Instant now);

    /**
     * Stores a newer state if the stored version is still {@code expectedVersion}; false otherwise. The hand-over
     * marks only move forward: a state {@link Tracked#told() told} already keeps its told version and reply.
     */
    boolean replace(Tracked tracked, long expectedVersion, Instant now);

    /** Tracked subjects whose latest change the outbox was not given yet, not claimed, oldest change first. */
    List<Tracked> due(Instant now, int limit);

    /** Takes the right to tell the outbox about the subject until {@code until}; false when another holds it. */
    boolean claim(Subject subject, String owner, Instant now, Instant until);

    /** The outbox was given {@code version} (and the end reply, when {@code replied}). */
    void told(Subject subject, long version, boolean replied);

    /** Gives up the claim taken with {@link #claim}. */
    void release(Subject subject, String owner);
}
