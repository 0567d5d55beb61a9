package dev.deploybot.release;

import dev.deploybot.core.Environment;

import java.time.Instant;
import java.util.Optional;

/** Who may decide a release request, and when. Answers why not, for the person who clicked. */
public final class ApprovalPolicy {
    private final Environment.ReleaseSettings settings;
    private final ApproverDirectory directory;

    public ApprovalPolicy(Environment.ReleaseSettings settings, ApproverDirectory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    public Optional<String> refusesApproval(ReleaseRequest request, String userId, Instant now) {
        Optional<String> closed = refusesAnyDecision(request, now);
        if (closed.isPresent()) {
            return closed;
        }
        if (request.isRollback() && !settings.rollback().requiresApproval()) {
            return Optional.empty();
        }
        boolean selfApprovalAllowed = request.isRollback() ? settings.rollback().approverMaySelfApprove() : settings.allowSelfApproval();
        if (request.requester().equals(userId) && !selfApprovalAllowed) {
            return Optional.of("You asked for this " + request.kind().name().toLowerCase() + ", so someone else has to approve it.");
        }
        if (!isApprover(userId)) {
            return Optional.of("You are not on the approver list for " + request.environment() + ".");
        }
        if (request.approvedBy(userId)) {
            return Optional.of("You already approved this " + request.kind().name().toLowerCase() + "; it needs " + settings.requiredApprovals()
                    + " different approvers.");
        }
        return Optional.empty();
    }

    public Optional<String> refusesRejection(ReleaseRequest request, String userId, Instant now) {
        Optional<String> closed = refusesAnyDecision(request, now);
        if (closed.isPresent()) {
            return closed;
        }
        return isApprover(userId) ? Optional.empty()
                : Optional.of("Only approvers of " + request.environment() + " can reject; the requester can cancel.");
    }

    public Optional<String> refusesCancellation(ReleaseRequest request, String userId, Instant now) {
        Optional<String> closed = refusesAnyDecision(request, now);
        if (closed.isPresent()) {
            return closed;
        }
        return request.requester().equals(userId) ? Optional.empty()
                : Optional.of("Only the requester can cancel this request.");
    }

    private Optional<String> refusesAnyDecision(ReleaseRequest request, Instant now) {
        if (request.state() != ReleaseState.PENDING) {
            return Optional.of("This request is no longer open: it is " + request.state().name().toLowerCase()
                    + (request.decidedBy() == null ? "." : " (by <@" + request.decidedBy() + ">)."));
        }
        if (!now.isBefore(request.expiresAt())) {
            return Optional.of("This request has expired; ask for a new one with /deploy " + request.environment() + ".");
        }
        return Optional.empty();
    }

    public boolean isApprover(String userId) {
        if (settings.approvers().contains(userId)) {
            return true;
        }
        return settings.approvers().stream()
                .filter(approver -> approver.startsWith("S"))
                .anyMatch(group -> directory.membersOf(group).contains(userId));
    }
}
