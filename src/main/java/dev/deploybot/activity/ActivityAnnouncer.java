package dev.deploybot.activity;

/**
 * Puts tracked subjects into words for the chat and stores them in the one outbox ({@link Outbox}); it never
 * talks to the chat service itself, so pacing, coalescing and retries are the outbox's alone.
 */
public interface ActivityAnnouncer {
    /** The subject's status message shows what is known now: posted the first time, updated after. */
    void show(Tracked tracked);

    /** Replies in the status message's thread that it ended, and how. */
    void replyDone(Tracked tracked);
}
