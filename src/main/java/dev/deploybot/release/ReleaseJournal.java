package dev.deploybot.release;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of release requests, their decisions and their promotion plans. Every state
 * change is conditional on the state the caller saw, so concurrent clicks and replicas cannot both win.
 */
public interface ReleaseJournal {
    /** Stores a new pending request; false when the environment already has one pending. */
    boolean open(ReleaseRequest request);

    Optional<ReleaseRequest> find(String id);

    Optional<ReleaseRequest> pendingFor(String environment);

    Optional<ReleaseRequest> runningFor(String environment);

    void attachMessage(String id, String channel, String messageTs);

    /**
     * Records one approver's approval and, when it is the last one needed, decides: all in one
     * transaction on the locked request, so approvals that lose a race leave no trace.
     */
    Approval approve(String id, String approver, Instant at, int required);

    /** What an approval did. {@code approvals} counts distinct approvers after it. */
    record Approval(Result result, int approvals) {
        public enum Result {
            /** Recorded; more approvals are needed. */
            COUNTED,
            /** Recorded, and the request is now approved. */
            DECIDED,
            /** Nothing recorded: the request was no longer pending. */
            NOT_PENDING,
            /** Nothing recorded: another request of the environment is running. */
            ANOTHER_RUNNING
        }
    }

    /**
     * Moves the request from {@code from} to {@code to} if it is still in {@code from}; false when another
     * decision got there first, or (when {@code to} is running) another request of the environment runs.
     */
    boolean transition(String id, ReleaseState from, ReleaseState to, String actor, Instant at, String failure);

    /** Records the plan unless one of that kind exists; returns the plan that is in force. */
    List<PlanStep> recordPlan(String id, PlanStep.Plan kind, List<PlanStep> plan);

    List<PlanStep> plan(String id, PlanStep.Plan kind);

    void stepDone(String id, PlanStep.Plan kind, int seq, Instant at);

    /** Notes on a rollback which release's deployment it stopped, so that deployment can be stopped at AWS too. */
    void interrupted(String rollbackId, String releaseId);

    /** The last request of the environment that put this digest into service successfully. */
    Optional<ReleaseRequest> lastSucceeded(String environment, String digest);

    void deploymentStarted(String id, String deploymentId, String revision);

    /** Takes or renews the right to work on the request until {@code until}; false when another owner holds it. */
    boolean lease(String id, String owner, Instant now, Instant until);

    void release(String id, String owner);

    /** Approved or deploying requests, to resume after a restart. */
    List<ReleaseRequest> running();

    List<ReleaseRequest> pendingExpiredAt(Instant now);
}
