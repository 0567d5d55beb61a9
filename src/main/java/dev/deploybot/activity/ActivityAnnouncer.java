package dev.deploybot.activity;

/**
 * Shows tracked subjects to people. Each call is one attempt; the caller keeps what was done and retries
 * what was not, so the announcer itself never repeats a message.
 */
public interface ActivityAnnouncer {
    /** Posts the status message in {@code tracked.channel()} (as a reply when it has a thread). */
    Sent post(Tracked tracked);

    /** Brings the status message {@code tracked.messageTs()} up to date. */
    Sent update(Tracked tracked);

    /** Replies in the status message's thread that it ended, and how. */
    Sent replyDone(Tracked tracked);

    /** How one attempt ended. */
    sealed interface Sent permits Sent.Done, Sent.Refused, Sent.Unavailable {
        /** @param ts the message posted or updated */
        record Done(String ts) implements Sent {
        }

        /** The chat service said no in a way that will not change (channel gone, message deleted, …). */
        record Refused(String reason) implements Sent {
        }

        /** Not reached or failing for now; worth trying again later. */
        record Unavailable() implements Sent {
        }
    }
}
