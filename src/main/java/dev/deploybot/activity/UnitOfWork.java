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
}
