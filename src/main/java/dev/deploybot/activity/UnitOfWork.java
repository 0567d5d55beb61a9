package dev.deploybot.activity;

import java.util.function.Supplier;

/**
 * Keeps several writes together: everything the work stores is kept at once, or nothing when it throws. Lets an
 * event's admission, its change and its "handled" mark cost one commit instead of three.
 */
public interface UnitOfWork {
    <T> T together(Supplier<T> work);

    /**
     * Like {@link #together}, but the commit is shared with the work other threads hand in at the same moment, so
     * a burst costs a commit per group instead of one per work. Each work is still kept whole or not at all: one
     * that throws leaves the others' writes alone. Returns (or throws) once the shared commit is done.
     */
    <T> T sharedCommit(Supplier<T> work);

    /**
     * Like {@link #sharedCommit(Supplier)}, for the work of an event whose sender is answered once it returns: where
     * the database writes commits to its file a while after they are made (the embedded H2), the event is kept in a
     * log beside it instead of waiting for that write, and a start after a crash takes it back from there. A database
     * whose commit is durable by itself needs nothing more.
     *
     * @param keptUntilWritten the event as received; null when its sender keeps it until told it is handled (a queue)
     */
    default <T> T sharedCommit(Supplier<T> work, EventInbox.ReceivedEvent keptUntilWritten) {
        return sharedCommit(work);
    }
}
