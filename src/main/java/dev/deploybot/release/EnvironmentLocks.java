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

    record Lock(String environment, String holder, String reason, Instant at) {
        public Lock {
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(at, "at");
        }
    }
}
