package dev.deploybot.release;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Locks that stop releases to an environment, set after a rollback or by hand. Durable across restarts. */
public interface EnvironmentLocks {
    Optional<Lock> lockOf(String environment);

    /** Sets the lock, replacing any there is. */
    void lock(Lock lock);

    /** False when the environment was not locked. */
    boolean unlock(String environment);

    /** The one check of a lock, for a request and for its approval alike. */
    default Optional<Refusal.Locked> refusal(String environment) {
        return lockOf(environment).map(lock -> new Refusal.Locked(lock.environment(), lock.holder(), lock.reason(), lock.at()));
    }

    record Lock(String environment, String holder, String reason, Instant at) {
        public Lock {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }
}
