package dev.deploybot.release;

import dev.deploybot.core.ImageRef;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to release one pinned image to an environment, and everything that happened to it.
 *
 * @param generations    for a rollback, how many generations back it goes; 0 for a release
 * @param interrupted    for a rollback, the release whose deployment it stopped, if any
 * @param previousDigest what the release tag named when the request was made; null on a first release
 * @param compareUrl     link to the code changes between the two, when the environment has a template
 * @param deploymentId   set once the deployment was started, so a restart follows it instead of starting another
 */
public record ReleaseRequest(String id, Kind kind, int generations, String interrupted, String environment, String requester, String note, ImageRef candidate,
                             List<String> candidateTags, Instant pushedAt, String previousDigest, String compareUrl, ReleaseState state,
                             String channel, String messageTs, Instant requestedAt, Instant expiresAt,
                             List<Approval> approvals, String decidedBy, Instant decidedAt, String deploymentId,
                             String deployedRevision, Instant finishedAt, String failure) {
    public ReleaseRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(candidate, "candidate");
        candidateTags = List.copyOf(candidateTags);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        approvals = List.copyOf(approvals);
    }

    /** A new pending request. */
    public static ReleaseRequest pending(String id, String environment, String requester, String note, ImageRef candidate,
                                         ImageDetails details, String previousDigest, String compareUrl, Instant now,
                                         Instant expiresAt) {
        return new ReleaseRequest(id, Kind.RELEASE, 0, null, environment, requester, note, candidate, details.tags(), details.pushedAt(),
                previousDigest, compareUrl, ReleaseState.PENDING, null, null, now, expiresAt, List.of(), null, null, null, null,
                null, null);
    }

    /** A new pending rollback to the image {@code generations} back. */
    public static ReleaseRequest rollback(String id, String environment, String requester, int generations, String note,
                                          ImageRef target, ImageDetails details, String runningDigest, Instant now,
                                          Instant expiresAt) {
        return new ReleaseRequest(id, Kind.ROLLBACK, generations, null, environment, requester, note, target,
                details.tags(), details.pushedAt(), runningDigest, null, ReleaseState.PENDING, null, null, now, expiresAt,
                List.of(), null, null, null, null, null, null);
    }

    public boolean isRollback() {
        return kind == Kind.ROLLBACK;
    }

    public enum Kind {
        RELEASE, ROLLBACK
    }

    public boolean approvedBy(String userId) {
        return approvals.stream().anyMatch(approval -> approval.approver().equals(userId));
    }

    public Optional<String> message() {
        return Optional.ofNullable(messageTs);
    }

    public record Approval(String approver, Instant at) {
    }
}
