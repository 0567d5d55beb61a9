package dev.deploybot.release;

import dev.deploybot.core.Environment;

/**
 * Who is an approver of an environment, and which approval rules apply to a request. The rules
 * themselves are applied by {@link ReleaseRequest#approve}; this only answers the questions it needs.
 */
public final class ApprovalPolicy {
    private final Environment.ReleaseSettings settings;
    private final ApproverDirectory directory;

    public ApprovalPolicy(Environment.ReleaseSettings settings, ApproverDirectory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    public ReleaseRequest.ApprovalRules rulesFor(ReleaseRequest.Kind kind) {
        return kind == ReleaseRequest.Kind.ROLLBACK
                ? new ReleaseRequest.ApprovalRules(settings.requiredApprovals(), settings.rollback().approverMaySelfApprove(),
                        settings.rollback().requiresApproval())
                : new ReleaseRequest.ApprovalRules(settings.requiredApprovals(), settings.allowSelfApproval(), true);
    }

    /** Listed by id, or a member of a listed user group ({@code S…}). */
    public boolean isApprover(String userId) {
        if (settings.approvers().contains(userId)) {
            return true;
        }
        return settings.approvers().stream()
                .filter(approver -> approver.startsWith("S"))
                .anyMatch(group -> directory.membersOf(group).contains(userId));
    }
}
