package dev.deploybot.activity;

import java.time.Instant;
import java.util.List;

/**
 * Every event the bot accepted, by id: the first sighting is kept (with its body, until handled), so a
 * redelivered event is recognised and an accepted one survives a crash before it was handled.
 */
public interface EventInbox {
    /** Keeps the event unless its id is known; says whether it is new, known but unhandled, or done (handled or set aside). */
    Admission admit(ReceivedEvent event);

    /**
     * Keeps a new event as handled already (what it told recorded in the same unit of work): one write where
     * admitting it and marking it handled take two. Answers false, keeping nothing, when its id is known by then.
     */
    boolean admitHandled(ReceivedEvent event, String outcome, Instant at);

    void handled(String eventId, String outcome, Instant at);

    /** Counts a failed attempt at handling the event and keeps its error; answers how many attempts have failed. */
    int failed(String eventId, String error);

    /**
     * Stops trying: the event keeps its body (the given one when it had none) and its last error, and is neither
     * retried, nor admitted again, nor forgotten with the handled ones.
     */
    void setAside(String eventId, String body, Instant at);

    /**
     * Events kept with their body, accepted before {@code receivedBefore}, never handled (their handler crashed, failed
     * or was refused) and not set aside; oldest first. Events admitted without a body are left alone: their queue delivers them again.
     */
    List<ReceivedEvent> unhandled(Instant receivedBefore, int limit);

    /** Forgets handled events older than {@code cutoff}; answers how many. */
    int forgetHandledBefore(Instant cutoff);

    enum Admission {
        NEW, UNHANDLED, HANDLED
    }

    /** @param body the event as received; null when a queue keeps it (and redelivers it) anyway */
    record ReceivedEvent(String id, String detailType, String body, Instant receivedAt) {
    }
}
