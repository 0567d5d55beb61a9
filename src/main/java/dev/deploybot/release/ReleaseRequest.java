package dev.deploybot.release;

import dev.deploybot.core.ImageRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The release aggregate: what was asked for ({@link Ask}), what was decided ({@link Decision}) and how it
 * went into service ({@link Deployment}). Its rules are its own methods: each transition checks the state
 * machine and the approval rules and answers a typed {@link Transition}; the journal only saves the result,
 * conditional on the {@code version} that was read.
 *
 * @param version the stored version this copy was read at; the journal refuses to save over a newer one
 */
public record ReleaseRequest(String id, Ask ask, Decision decision, Deployment deployment, long version) {
    /** Who decides what nobody had to: an expiry, an automatic rollback. */
    public static final String BOT = "deploybot";

    public ReleaseRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ask, "ask");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(deployment, "deployment");
    }

    /**
     * Who asked for which image, and why; never changes after the request is opened.
     *
     * @param generations    for a rollback, how many generations back it goes; 0 for a release
     * @param previousDigest what the release tag named when the request was made; null on a first release
     * @param compareUrl     link to the code changes between the two, when the environment has a template
     * @param images         every image the request pins, the default one ({@code candidate}) first
     */
    public record Ask(Kind kind, int generations, String environment, String requester, String note, ImageRef candidate,
                      List<String> candidateTags, Instant pushedAt, String previousDigest, String compareUrl,
                      Instant requestedAt, Instant expiresAt, List<PinnedImage> images) {
        public Ask {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(requester, "requester");
            Objects.requireNonNull(candidate, "candidate");
            candidateTags = List.copyOf(candidateTags);
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            images = List.copyOf(images);
            if (images.isEmpty() || !images.get(0).image().equals(candidate)) {
                throw new IllegalArgumentException("the default image " + candidate + " comes first in " + images);
            }
        }

        /** A request of one image, for the deploy settings' container (as every request stored before several were). */
        public Ask(Kind kind, int generations, String environment, String requester, String note, ImageRef candidate,
                   List<String> candidateTags, Instant pushedAt, String previousDigest, String compareUrl,
                   Instant requestedAt, Instant expiresAt) {
            this(kind, generations, environment, requester, note, candidate, candidateTags, pushedAt, previousDigest, compareUrl,
                    requestedAt, expiresAt, List.of(new PinnedImage(candidate.repository(), Optional.empty(), candidate.digest(), null,
                            previousDigest)));
        }
    }

    /** Where the request stands, and who put it there. */
    public record Decision(ReleaseState state, List<Approval> approvals, String decidedBy, Instant decidedAt) {
        public Decision {
            Objects.requireNonNull(state, "state");
            approvals = List.copyOf(approvals);
        }

        static Decision pending() {
            return new Decision(ReleaseState.PENDING, List.of(), null, null);
        }
    }

    /**
     * How the approved image went into service.
     *
     * @param interrupted  for a rollback, the release whose deployment it stopped, if any
     * @param deploymentId set once the deployment was started, so a restart follows it instead of starting another
     * @param failure      why it ended badly; null unless FAILED
     * @param bakeStartedAt when the deployment completed and the bake began; a resumed bake counts the time from here
     */
    public record Deployment(String interrupted, String deploymentId, String revision, Instant finishedAt, Failure failure,
                             Instant bakeStartedAt) {
        static Deployment none() {
            return new Deployment(null, null, null, null, null, null);
        }

        Deployment baking(Instant since) {
            return new Deployment(interrupted, deploymentId, revision, finishedAt, failure, since);
        }

        Deployment finished(Instant at, Failure why) {
            return new Deployment(interrupted, deploymentId, revision, at, why, bakeStartedAt);
        }
    }

    /**
     * Why a release failed, for the views to put in words.
     *
     * @param detail   the service's own words for {@link Cause#DEPLOYMENT} and {@link Cause#SERVICE_REFUSED};
     *                 otherwise the subject of the cause (the repository, the digest, the tag, the user)
     * @param restored the digest the release tag names again after the tags were put back; null when they were not
     * @param at       when the cause happened, where that is not when the release ended (an alarm's own time); may be null
     */
    public record Failure(Cause cause, String detail, String restored, Instant at) {
        public Failure {
            Objects.requireNonNull(cause, "cause");
        }

        public Failure(Cause cause, String detail) {
            this(cause, detail, null, null);
        }

        Failure restoredTo(String digest) {
            return new Failure(cause, detail, digest, at);
        }

        public enum Cause {
            /** The deployment itself failed or timed out. */
            DEPLOYMENT,
            /** A service refused for good (its error code and words in the detail). */
            SERVICE_REFUSED,
            /** The repository's tags are immutable: nothing was moved. */
            TAGS_IMMUTABLE,
            /** The pinned image was deleted before the tags moved. */
            PINNED_IMAGE_GONE,
            /** The tag a rollback goes back to moved after it was requested. */
            TAG_MOVED,
            /** A rollback stopped this release's deployment; the detail is who asked for the rollback. */
            STOPPED_BY_ROLLBACK,
            /** The migration task did not exit 0 (or never ran, or ran out of time); the detail says how, in words. */
            MIGRATION,
            /** A bake alarm was in ALARM while the release baked; the detail is the alarm's name, {@code at} its time. */
            ALARM
        }
    }

    public record Approval(String approver, Instant at) {
    }

    public enum Kind {
        RELEASE, ROLLBACK
    }

    /**
     * The rules of one decision, from the environment's settings.
     *
     * @param required           distinct approvers needed
     * @param requesterMayDecide the requester's own approval counts
     * @param needed             false when the request is approved by whoever asked (an unguarded rollback)
     */
    public record ApprovalRules(int required, boolean requesterMayDecide, boolean needed) {
    }

    /** What a transition did: the changed request (to be saved), a counted approval, or why nothing changed. */
    public sealed interface Transition permits Moved, Counted, Refused {
    }

    public record Moved(ReleaseRequest request) implements Transition {
    }

    /** An approval was added; more are needed. */
    public record Counted(ReleaseRequest request, int approvals, int required) implements Transition {
    }

    public record Refused(Refusal refusal) implements Transition {
    }

    /** A new pending release request. */
    public static ReleaseRequest pending(String id, Ask ask) {
        return new ReleaseRequest(id, ask, Decision.pending(), Deployment.none(), 0);
    }

    public String environment() {
        return ask.environment();
    }

    public String requester() {
        return ask.requester();
    }

    public ImageRef candidate() {
        return ask.candidate();
    }

    public Kind kind() {
        return ask.kind();
    }

    public ReleaseState state() {
        return decision.state();
    }

    public boolean isRollback() {
        return ask.kind() == Kind.ROLLBACK;
    }

    public boolean approvedBy(String userId) {
        return decision.approvals().stream().anyMatch(approval -> approval.approver().equals(userId));
    }

    /**
     * One approver's click. The last approval needed decides; one that loses a race is never saved.
     *
     * @param isApprover whether the user is on the environment's approver list (directly or through a group)
     */
    public Transition approve(String userId, boolean isApprover, ApprovalRules rules, Instant now) {
        Refusal closed = refusesDecision(now);
        if (closed != null) {
            return new Refused(closed);
        }
        if (rules.needed()) {
            if (ask.requester().equals(userId) && !rules.requesterMayDecide()) {
                return new Refused(new Refusal.SelfApproval(kind()));
            }
            if (!isApprover) {
                return new Refused(new Refusal.NotAnApprover(environment(), Verdict.APPROVE));
            }
            if (approvedBy(userId)) {
                return new Refused(new Refusal.AlreadyApproved(kind(), rules.required()));
            }
        }
        List<Approval> approvals = new ArrayList<>(decision.approvals());
        approvals.add(new Approval(userId, now));
        int required = rules.needed() ? rules.required() : 1;
        if (approvals.size() < required) {
            return new Counted(with(new Decision(ReleaseState.PENDING, approvals, null, null)), approvals.size(), required);
        }
        return new Moved(with(new Decision(ReleaseState.APPROVED, approvals, userId, now)));
    }

    public Transition reject(String userId, boolean isApprover, Instant now) {
        Refusal closed = refusesDecision(now);
        if (closed != null) {
            return new Refused(closed);
        }
        return isApprover ? moved(ReleaseState.REJECTED, userId, now)
                : new Refused(new Refusal.NotAnApprover(environment(), Verdict.REJECT));
    }

    public Transition cancel(String userId, Instant now) {
        Refusal closed = refusesDecision(now);
        if (closed != null) {
            return new Refused(closed);
        }
        return ask.requester().equals(userId) ? moved(ReleaseState.CANCELLED, userId, now) : new Refused(new Refusal.NotTheRequester());
    }

    /** Nobody decided in time. */
    public Transition expire(Instant now) {
        if (state() != ReleaseState.PENDING || now.isBefore(ask.expiresAt())) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return moved(ReleaseState.EXPIRED, BOT, now);
    }

    /** A rollback asked by {@code userId} replaces this pending request. */
    public Transition supersede(String userId, Instant now) {
        return state() != ReleaseState.PENDING ? new Refused(new Refusal.NotOpen(state(), decision.decidedBy()))
                : moved(ReleaseState.SUPERSEDED, userId, now);
    }

    /** The tags moved and the environment's migration task is to run before anything is deployed. */
    public Transition startMigrating() {
        if (!state().canMoveTo(ReleaseState.MIGRATING)) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return new Moved(with(withState(ReleaseState.MIGRATING)));
    }

    /** The tags moved and the deployment started: from now on it is followed through {@code deploymentId}. */
    public Transition startDeploying(String deploymentId, String revision) {
        if (!state().canMoveTo(ReleaseState.DEPLOYING)) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return new Moved(new ReleaseRequest(id, ask, new Decision(ReleaseState.DEPLOYING, decision.approvals(), decision.decidedBy(),
                decision.decidedAt()), new Deployment(deployment.interrupted(), deploymentId, revision, null, null, null), version));
    }

    /** The deployment completed: the release is in service and its alarms are watched from {@code now}. */
    public Transition startBaking(Instant now) {
        if (!state().canMoveTo(ReleaseState.BAKING)) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return new Moved(new ReleaseRequest(id, ask, withState(ReleaseState.BAKING), deployment.baking(now), version));
    }

    /** When the bake ends, counted from its stored start, so a resumed bake does not start over. */
    public Optional<Instant> bakeEndsAt(Duration bake) {
        return state() == ReleaseState.BAKING ? Optional.of(deployment.bakeStartedAt().plus(bake)) : Optional.empty();
    }

    /** The bake time passed with no alarm in ALARM: the release is done. */
    public Transition finishBake(Duration bake, Instant now) {
        if (state() != ReleaseState.BAKING || now.isBefore(deployment.bakeStartedAt().plus(bake))) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return finish(ReleaseState.SUCCEEDED, now, null);
    }

    /**
     * A bake alarm is in ALARM: the release failed, and is to be rolled back at once. Only a baking release can
     * fail this way; whoever saves this first over the version read is the one who rolls back.
     */
    public Transition alarmFired(String alarm, Instant firedAt, Instant now) {
        if (state() != ReleaseState.BAKING) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return finish(ReleaseState.FAILED, now, new Failure(Failure.Cause.ALARM, alarm, null, firedAt));
    }

    /**
     * The rollback that undoes this release after its bake alarm fired: approved by the bot (nobody has to be asked
     * while production misbehaves), noting this release as the one it undoes. It puts back every image of the release:
     * a changed one at the digest {@code back} (the restore of this release's plan) gives its release tag, an unchanged
     * one where it is. Empty when a changed image had no release before this one: there is nothing to go back to.
     */
    public Optional<ReleaseRequest> automaticRollback(String rollbackId, List<PlanStep> back, String releaseTag, Instant now) {
        if (state() != ReleaseState.FAILED || deployment.failure() == null || deployment.failure().cause() != Failure.Cause.ALARM) {
            throw new IllegalStateException("release " + id + " is not a release whose bake alarm fired");
        }
        List<PinnedImage> before = new ArrayList<>();
        for (PinnedImage image : ask.images()) {
            Optional<PlanStep> restored = back.stream()
                    .filter(step -> step.repository().equals(image.repository()) && step.tag().equals(releaseTag)).findFirst();
            if (restored.isPresent()) {
                before.add(new PinnedImage(image.repository(), image.container(), restored.get().manifest().digest(), null, image.digest()));
            } else if (image.changed()) {
                return Optional.empty();
            } else {
                before.add(image);
            }
        }
        Ask undo = new Ask(Kind.ROLLBACK, 1, environment(), requester(), null, before.get(0).image(), List.of(), null, candidate().digest(),
                null, now, now, before);
        return Optional.of(new ReleaseRequest(rollbackId, undo, new Decision(ReleaseState.APPROVED, List.of(), BOT, now),
                new Deployment(id, null, null, null, null, null), 0));
    }

    /** Whether the bot started this rollback itself, after the bake alarm of the release it undoes fired. */
    public boolean isAutomatic() {
        return isRollback() && BOT.equals(decision.decidedBy()) && deployment.interrupted() != null;
    }

    public Transition succeed(Instant now) {
        return finish(ReleaseState.SUCCEEDED, now, null);
    }

    public Transition fail(Failure failure, Instant now) {
        return finish(ReleaseState.FAILED, now, Objects.requireNonNull(failure, "failure"));
    }

    /** The failed release's tags were put back: the release tag names {@code digest} again. */
    public ReleaseRequest restored(String digest) {
        return new ReleaseRequest(id, ask, decision, deployment.finished(deployment.finishedAt(), deployment.failure().restoredTo(digest)),
                version);
    }

    /** Notes on this rollback which release's deployment it stopped, so that deployment is stopped at AWS too. */
    public ReleaseRequest interrupting(String releaseId) {
        return new ReleaseRequest(id, ask, decision, new Deployment(releaseId, deployment.deploymentId(), deployment.revision(),
                deployment.finishedAt(), deployment.failure(), deployment.bakeStartedAt()), version);
    }

    private Transition finish(ReleaseState to, Instant now, Failure failure) {
        if (!state().canMoveTo(to)) {
            return new Refused(new Refusal.NotOpen(state(), decision.decidedBy()));
        }
        return new Moved(new ReleaseRequest(id, ask, withState(to), deployment.finished(now, failure), version));
    }

    private Decision withState(ReleaseState to) {
        return new Decision(to, decision.approvals(), decision.decidedBy(), decision.decidedAt());
    }

    private Transition moved(ReleaseState to, String userId, Instant now) {
        return new Moved(with(new Decision(to, decision.approvals(), userId, now)));
    }

    private ReleaseRequest with(Decision changed) {
        return new ReleaseRequest(id, ask, changed, deployment, version);
    }

    /** Whether anyone may still decide: pending and not yet expired. */
    private Refusal refusesDecision(Instant now) {
        if (state() != ReleaseState.PENDING) {
            return new Refusal.NotOpen(state(), decision.decidedBy());
        }
        if (!now.isBefore(ask.expiresAt())) {
            return new Refusal.Expired(environment());
        }
        return null;
    }

    /** What a person clicked. */
    public enum Verdict {
        APPROVE, REJECT, CANCEL
    }
}
