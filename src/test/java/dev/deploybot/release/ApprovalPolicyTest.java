package dev.deploybot.release;

import dev.deploybot.core.Environment;
import dev.deploybot.core.ImageRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovalPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    private static final ApproverDirectory GROUPS = group -> Map.of("S0SRE", Set.of("U0SRE1", "U0SRE2"))
            .getOrDefault(group, Set.of());
    private static final ReleaseRequest REQUEST = ReleaseRequest.pending("r1", "prd", "U0DEV", null,
            new ImageRef("app", "sha256:" + "a".repeat(64)),
            new ImageDetails("sha256:" + "a".repeat(64), List.of("latest"), NOW), null, null, NOW, NOW.plusSeconds(1800));

    @Test
    void approversAreUsersOrMembersOfApproverGroups() {
        ApprovalPolicy policy = policy(false, 1);
        assertThat(policy.refusesApproval(REQUEST, "U0LEAD", NOW)).isEmpty();
        assertThat(policy.refusesApproval(REQUEST, "U0SRE2", NOW)).isEmpty();
        assertThat(policy.refusesApproval(REQUEST, "U0OTHER", NOW)).get().asString().contains("not on the approver list");
    }

    @Test
    void theRequesterMayNotApproveUnlessTheEnvironmentAllowsIt() {
        ReleaseRequest ownRequest = withRequester("U0LEAD");
        assertThat(policy(false, 1).refusesApproval(ownRequest, "U0LEAD", NOW)).get().asString().contains("someone else");
        assertThat(policy(true, 1).refusesApproval(ownRequest, "U0LEAD", NOW)).isEmpty();
    }

    @Test
    void decidedExpiredAndAlreadyApprovedRequestsAreRefused() {
        ApprovalPolicy policy = policy(false, 2);
        assertThat(policy.refusesApproval(REQUEST, "U0LEAD", NOW.plusSeconds(1800))).get().asString().contains("expired");
        ReleaseRequest cancelled = new ReleaseRequest("r1", ReleaseRequest.Kind.RELEASE, 0, null, "prd", "U0DEV", null, REQUEST.candidate(), List.of(), NOW, null, null,
                ReleaseState.CANCELLED, null, null, NOW, NOW.plusSeconds(1800), List.of(), "U0DEV", NOW, null, null, NOW, null);
        assertThat(policy.refusesApproval(cancelled, "U0LEAD", NOW)).get().asString().contains("cancelled");
        assertThat(policy.refusesRejection(cancelled, "U0LEAD", NOW)).isPresent();
        ReleaseRequest approvedOnce = new ReleaseRequest("r1", ReleaseRequest.Kind.RELEASE, 0, null, "prd", "U0DEV", null, REQUEST.candidate(), List.of(), NOW, null, null,
                ReleaseState.PENDING, null, null, NOW, NOW.plusSeconds(1800),
                List.of(new ReleaseRequest.Approval("U0LEAD", NOW)), null, null, null, null, null, null);
        assertThat(policy.refusesApproval(approvedOnce, "U0LEAD", NOW)).get().asString().contains("already approved");
        assertThat(policy.refusesApproval(approvedOnce, "U0SRE1", NOW)).isEmpty();
    }

    @Test
    void onlyApproversRejectAndOnlyTheRequesterCancels() {
        ApprovalPolicy policy = policy(false, 1);
        assertThat(policy.refusesRejection(REQUEST, "U0SRE1", NOW)).isEmpty();
        assertThat(policy.refusesRejection(REQUEST, "U0DEV", NOW)).isPresent();
        assertThat(policy.refusesCancellation(REQUEST, "U0DEV", NOW)).isEmpty();
        assertThat(policy.refusesCancellation(REQUEST, "U0LEAD", NOW)).isPresent();
    }

    private static ApprovalPolicy policy(boolean selfApproval, int required) {
        return new ApprovalPolicy(new Environment.ReleaseSettings("app", "latest", List.of("release"),
                List.of("U0LEAD", "S0SRE"), required, selfApproval, Duration.ofMinutes(30), Optional.empty(), "x",
                Environment.RollbackPolicy.SAFE, true), GROUPS);
    }

    private static ReleaseRequest withRequester(String requester) {
        return ReleaseRequest.pending("r2", "prd", requester, null, REQUEST.candidate(),
                new ImageDetails(REQUEST.candidate().digest(), List.of(), NOW), null, null, NOW, NOW.plusSeconds(1800));
    }
}
