package dev.deploybot.activity;

import java.util.function.Supplier;

/**
 * Keeps several writes together: everything the work stores is kept at once, or nothing when it throws. Lets an
 * event's admission, its change and its "handled" mark cost one commit instead of three.
 */
public interface UnitOfWork {
    <T> T together(Supplier<T> work);
}
