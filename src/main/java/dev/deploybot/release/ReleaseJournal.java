package dev.deploybot.release;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of release requests and their promotion plans. A request changes through its own
 * transitions; the journal saves the result only if nobody saved another change since it was read, so
 * concurrent clicks and replicas cannot both win.
 */
public interface ReleaseJournal {
    /** Stores a new pending request; false when the environment already has one pending. */
    boolean open(ReleaseRequest request);

    /**
     * Saves the request as changed by its transitions, if the stored version is still the one it was read
     * at. New approvals are stored with it.
     */
    Save save(ReleaseRequest changed);

    /**
     * Saves {@code changed} (conditional on its version, like {@link #save}) and opens {@code successor}, already
     * running, with its promotion plan, all at once: the environment passes from a release to the rollback that
     * undoes it with no moment where a crash leaves neither running. {@link Stale} when {@code changed} was saved by
     * someone else first (then nothing is stored).
     */
    Save handOver(ReleaseRequest changed, ReleaseRequest successor, List<PlanStep> successorPlan);

    /** What a save did. */
    sealed interface Save permits Saved, Stale, EnvironmentBusy {
    }

    /** @param request as stored now, with its new version */
    record Saved(ReleaseRequest request) implements Save {
    }

    /** Someone saved another change first: read again and decide again. */
    record Stale() implements Save {
    }

    /** The request would run, but another request of the environment is running. Nothing was saved. */
    record EnvironmentBusy() implements Save {
    }

    Optional<ReleaseRequest> find(String id);

    Optional<ReleaseRequest> pendingFor(String environment);

    Optional<ReleaseRequest> runningFor(String environment);

    /** Running requests (approved, migrating, deploying or baking), to resume after a restart. */
    List<ReleaseRequest> running();

    List<ReleaseRequest> pendingExpiredAt(Instant now);

    /** The last request of the environment that put this digest into service successfully. */
    Optional<ReleaseRequest> lastSucceeded(String environment, String digest);

    /** Records the plan unless one of that kind exists; returns the plan that is in force. */
    List<PlanStep> recordPlan(String id, PlanStep.Plan kind, List<PlanStep> plan);

    List<PlanStep> plan(String id, PlanStep.Plan kind);

    void stepDone(String id, PlanStep.Plan kind, int seq, Instant at);

    /**
     * Takes or renews the right to work on a running (approved or deploying) request until {@code until};
     * false when another owner holds it or the request is not running any more.
     */
    boolean lease(String id, String owner, Instant now, Instant until);

    void release(String id, String owner);
}
