package dev.deploybot.activity;

import java.time.Instant;
import java.util.List;

/**
 * Every event the bot accepted, by id: the first sighting is kept (with its body, until handled), so a
 * redelivered event is recognised and an accepted one survives a crash before it was handled.
 */
public interface EventInbox {
    /** Keeps the event unless its id is known; says whether it is new, known but unhandled, or done. */
    Admission admit(ReceivedEvent event);

    void handled(String eventId, String outcome, Instant at);

    /**
     * Events kept with their body, accepted before {@code receivedBefore} and never handled (their handler crashed
     * or was refused). Events admitted without a body are left alone: their queue delivers them again.
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
