package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ImageRef;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Approve, Reject and Cancel clicks. Only the request id comes from the button; everything else is
 * read from the journal, and the decision is a conditional update there, so the first one wins.
 */
@Singleton
public class DecideRelease {
    private final Environments environments;
    private final ReleaseJournal journal;
    private final ImageRegistry registry;
    private final ApproverDirectory directory;
    private final EnvironmentLocks locks;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;

    public DecideRelease(Environments environments, ReleaseJournal journal, ImageRegistry registry,
                         ApproverDirectory directory, EnvironmentLocks locks, ReleaseAnnouncer announcer, AuditTrail audit,
                         Clock clock) {
        this.environments = environments;
        this.journal = journal;
        this.registry = registry;
        this.directory = directory;
        this.locks = locks;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome permits Approved, Counted, Closed, Refused {
    }

    /** The approval that completed the decision: the release may ship. */
    public record Approved(ReleaseRequest request) implements Outcome {
    }

    /** An approval was recorded; more are needed. */
    public record Counted(ReleaseRequest request, int approvals, int required) implements Outcome {
    }

    /** Rejected or cancelled. */
    public record Closed(ReleaseRequest request) implements Outcome {
    }

    public record Refused(String reason) implements Outcome {
    }

    public Outcome approve(String requestId, Actor actor) {
        Optional<Context> found = context(requestId);
        if (found.isEmpty()) {
            return new Refused("That release request does not exist (any more).");
        }
        ReleaseRequest request = found.get().request();
        Environment.ReleaseSettings settings = found.get().settings();
        Instant now = clock.instant();
        Optional<String> refusal = new ApprovalPolicy(settings, directory).refusesApproval(request, actor.userId(), now);
        if (refusal.isPresent()) {
            return refuse(request, actor, "approve", refusal.get());
        }
        if (!request.isRollback()) {
            Optional<EnvironmentLocks.Lock> lock = locks.lockOf(request.environment());
            if (lock.isPresent()) {
                return refuse(request, actor, "approve", Locks.describe(lock.get()));
            }
        }
        if (registry.describe(request.candidate().repository(), request.candidate().digest()).isEmpty()) {
            return refuse(request, actor, "approve", "The pinned image " + request.candidate().shortDigest()
                    + " is no longer in `" + request.candidate().repository() + "`; it cannot be released. Request a new release.");
        }
        if (request.isRollback()) {
            Optional<String> busy = stopRunningRelease(request, actor, now);
            if (busy.isPresent()) {
                return refuse(request, actor, "approve", busy.get());
            }
        }
        ReleaseJournal.Approval approval = journal.approve(requestId, actor.userId(), now, settings.requiredApprovals());
        switch (approval.result()) {
            case NOT_PENDING -> {
                ReleaseRequest latest = journal.find(requestId).orElseThrow();
                return refuse(latest, actor, "approve", "This request is no longer open: it is "
                        + latest.state().name().toLowerCase() + (latest.decidedBy() == null ? "." : " (by <@" + latest.decidedBy() + ">)."));
            }
            case ANOTHER_RUNNING -> {
                return refuse(request, actor, "approve", "Another release or rollback of " + request.environment()
                        + " is running; approve again when it has finished.");
            }
            case COUNTED -> {
                audit.append(new AuditEntry(now, actor.userId(), request.environment(), "release", "approval",
                        requestId + " " + approval.approvals() + "/" + settings.requiredApprovals()));
                ReleaseRequest counted = journal.find(requestId).orElseThrow();
                announcer.updated(counted, approval.approvals() + " of " + settings.requiredApprovals() + " approvals");
                return new Counted(counted, approval.approvals(), settings.requiredApprovals());
            }
            case DECIDED -> {
                // Falls through to the release below.
            }
        }
        ReleaseRequest approved = journal.find(requestId).orElseThrow();
        audit.append(new AuditEntry(now, actor.userId(), request.environment(), request.kind().name().toLowerCase(), "approved",
                requestId + " " + request.candidate().digest() + " replacing " + request.previousDigest()));
        if (request.isRollback()) {
            // Keeps the next hasty /deploy from shipping the image that was just rolled away from.
            locks.lock(new EnvironmentLocks.Lock(request.environment(), request.requester(), "rolled back from `"
                    + ImageRef.shortDigest(request.previousDigest()) + "` by <@" + request.requester() + ">", now));
            audit.append(new AuditEntry(now, request.requester(), request.environment(), "lock", "locked", "rollback " + requestId));
        }
        announcer.updated(approved, "Approved; moving tags");
        return new Approved(approved);
    }

    public Outcome reject(String requestId, Actor actor) {
        return close(requestId, actor, ReleaseState.REJECTED);
    }

    public Outcome cancel(String requestId, Actor actor) {
        return close(requestId, actor, ReleaseState.CANCELLED);
    }

    private Outcome close(String requestId, Actor actor, ReleaseState to) {
        Optional<Context> found = context(requestId);
        if (found.isEmpty()) {
            return new Refused("That release request does not exist (any more).");
        }
        ReleaseRequest request = found.get().request();
        ApprovalPolicy policy = new ApprovalPolicy(found.get().settings(), directory);
        Instant now = clock.instant();
        Optional<String> refusal = to == ReleaseState.REJECTED
                ? policy.refusesRejection(request, actor.userId(), now)
                : policy.refusesCancellation(request, actor.userId(), now);
        if (refusal.isPresent()) {
            return refuse(request, actor, to.name().toLowerCase(), refusal.get());
        }
        if (!journal.transition(requestId, ReleaseState.PENDING, to, actor.userId(), now, null)) {
            ReleaseRequest current = journal.find(requestId).orElseThrow();
            return refuse(current, actor, to.name().toLowerCase(), "This request was already decided: it is "
                    + current.state().name().toLowerCase() + ".");
        }
        ReleaseRequest closed = journal.find(requestId).orElseThrow();
        audit.append(new AuditEntry(now, actor.userId(), request.environment(), "release", to.name().toLowerCase(), requestId));
        announcer.updated(closed, to == ReleaseState.REJECTED ? "Rejected" : "Cancelled");
        return new Closed(closed);
    }

    /**
     * A rollback cannot wait for a bad release to finish deploying: the release is marked stopped (which
     * frees the environment's running slot) and noted on the rollback, whose pipeline stops it at AWS.
     * Answers why the rollback must wait when tags are being moved right now.
     */
    private Optional<String> stopRunningRelease(ReleaseRequest rollback, Actor actor, Instant now) {
        Optional<ReleaseRequest> running = journal.runningFor(rollback.environment());
        if (running.isEmpty() || running.get().id().equals(rollback.id())) {
            return Optional.empty();
        }
        ReleaseRequest release = running.get();
        if (release.state() != ReleaseState.DEPLOYING || release.isRollback()) {
            return Optional.of("A " + release.kind().name().toLowerCase() + " of " + release.environment()
                    + " is " + (release.state() == ReleaseState.APPROVED ? "moving tags" : "running") + " right now; approve again in a moment.");
        }
        String reason = "stopped: rollback requested by <@" + rollback.requester() + ">";
        if (journal.transition(release.id(), ReleaseState.DEPLOYING, ReleaseState.FAILED, actor.userId(), now, reason)) {
            journal.interrupted(rollback.id(), release.id());
            audit.append(new AuditEntry(now, actor.userId(), release.environment(), "release", "stopped",
                    release.id() + " for rollback " + rollback.id()));
            journal.find(release.id()).ifPresent(stopped -> announcer.updated(stopped, reason));
        }
        return Optional.empty();
    }

    private Refused refuse(ReleaseRequest request, Actor actor, String action, String reason) {
        audit.append(new AuditEntry(clock.instant(), actor.userId(), request.environment(), "release",
                action + " refused", request.id() + ": " + reason));
        return new Refused(reason);
    }

    private record Context(ReleaseRequest request, Environment.ReleaseSettings settings) {
    }

    private Optional<Context> context(String requestId) {
        return journal.find(requestId).flatMap(request -> environments.find(request.environment())
                .flatMap(Environment::release)
                .map(settings -> new Context(request, settings)));
    }
}
