package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/** {@code /deploy lock prd <reason>}: anyone may stop releases; stopping is the safe side. */
@Singleton
public class LockEnvironment {
    static final int MAX_REASON = 300;
    private final EnvironmentLocks locks;
    private final AuditTrail audit;
    private final Clock clock;

    public LockEnvironment(EnvironmentLocks locks, AuditTrail audit, Clock clock) {
        this.locks = locks;
        this.audit = audit;
        this.clock = clock;
    }

    /** Empty when the environment is locked now. */
    public Optional<Refusal> lock(Environment environment, Actor actor, String reason) {
        if (reason == null || reason.isBlank()) {
            return Optional.of(new Refusal.NoReasonGiven(environment.name()));
        }
        String trimmed = reason.strip().length() > MAX_REASON ? reason.strip().substring(0, MAX_REASON) : reason.strip();
        locks.lock(new EnvironmentLocks.Lock(environment.name(), actor.userId(), trimmed, clock.instant()));
        audit.append(new AuditEntry(clock.instant(), actor.userId(), environment.name(), "lock", "locked", trimmed));
        return Optional.empty();
    }
}
