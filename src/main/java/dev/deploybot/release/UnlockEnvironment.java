package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Optional;

/** {@code /deploy unlock prd}: only an approver may let releases through again. */
@Singleton
public class UnlockEnvironment {
    private final EnvironmentLocks locks;
    private final ApproverDirectory directory;
    private final AuditTrail audit;
    private final Clock clock;

    public UnlockEnvironment(EnvironmentLocks locks, ApproverDirectory directory, AuditTrail audit, Clock clock) {
        this.locks = locks;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome permits Unlocked, WasNotLocked, Refused {
    }

    public record Unlocked() implements Outcome {
    }

    public record WasNotLocked() implements Outcome {
    }

    public record Refused(Refusal refusal) implements Outcome {
    }

    public Outcome unlock(Environment environment, Actor actor) {
        Optional<Environment.ReleaseSettings> settings = environment.release();
        if (settings.isEmpty() || !new ApprovalPolicy(settings.get(), directory).isApprover(actor.userId())) {
            audit.append(new AuditEntry(clock.instant(), actor.userId(), environment.name(), "lock", "unlock refused", "not an approver"));
            return new Refused(new Refusal.NotAnApproverToUnlock(environment.name()));
        }
        if (!locks.unlock(environment.name())) {
            return new WasNotLocked();
        }
        audit.append(new AuditEntry(clock.instant(), actor.userId(), environment.name(), "lock", "unlocked", null));
        return new Unlocked();
    }
}
