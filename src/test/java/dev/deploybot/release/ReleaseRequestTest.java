package dev.deploybot.release;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.deploybot.release.ReleaseTestData.DIGEST_A;
import static dev.deploybot.release.ReleaseTestData.DIGEST_B;
import static dev.deploybot.release.ReleaseTestData.NOW;
import static dev.deploybot.release.ReleaseTestData.aRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The rules of a release request, each decided once, on the aggregate. */
class ReleaseRequestTest {
    private static final ReleaseRequest.ApprovalRules ONE = new ReleaseRequest.ApprovalRules(1, false, true);
    private static final ReleaseRequest.ApprovalRules TWO = new ReleaseRequest.ApprovalRules(2, false, true);

    @Test
    void theRequesterCannotApproveTheirOwnRequestUnlessAllowed() {
        ReleaseRequest request = aRelease().requestedBy("U0DEV").build();
        assertThat(request.approve("U0DEV", true, ONE, NOW)).isEqualTo(new ReleaseRequest.Refused(
                new Refusal.SelfApproval(ReleaseRequest.Kind.RELEASE)));
        assertThat(request.approve("U0DEV", true, new ReleaseRequest.ApprovalRules(1, true, true), NOW))
                .isInstanceOf(ReleaseRequest.Moved.class);
    }

    @Test
    void onlyApproversApprove() {
        assertThat(aRelease().build().approve("U0STRANGER", false, ONE, NOW)).isEqualTo(new ReleaseRequest.Refused(
                new Refusal.NotAnApprover("prd", ReleaseRequest.Verdict.APPROVE)));
    }

    @Test
    void theLastApprovalNeededDecides() {
        ReleaseRequest.Transition first = aRelease().build().approve("U0LEAD", true, TWO, NOW);
        assertThat(first).isInstanceOf(ReleaseRequest.Counted.class);
        ReleaseRequest counted = ((ReleaseRequest.Counted) first).request();
        assertThat(counted.state()).isEqualTo(ReleaseState.PENDING);
        assertThat(counted.approve("U0LEAD", true, TWO, NOW)).isEqualTo(new ReleaseRequest.Refused(
                new Refusal.AlreadyApproved(ReleaseRequest.Kind.RELEASE, 2)));

        ReleaseRequest approved = ((ReleaseRequest.Moved) counted.approve("U0SRE", true, TWO, NOW.plusSeconds(5))).request();
        assertThat(approved.state()).isEqualTo(ReleaseState.APPROVED);
        assertThat(approved.decision().decidedBy()).isEqualTo("U0SRE");
        assertThat(approved.decision().decidedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(approved.decision().approvals()).extracting(ReleaseRequest.Approval::approver).containsExactly("U0LEAD", "U0SRE");
    }

    @Test
    void aRollbackThatNeedsNoApprovalIsDecidedByWhoeverAsks() {
        ReleaseRequest rollback = aRelease().rollingBack(1).requestedBy("U0DEV").build();
        ReleaseRequest.Transition decided = rollback.approve("U0DEV", false, new ReleaseRequest.ApprovalRules(1, false, false), NOW);
        assertThat(decided).isInstanceOf(ReleaseRequest.Moved.class);
        assertThat(((ReleaseRequest.Moved) decided).request().state()).isEqualTo(ReleaseState.APPROVED);
    }

    @Test
    void nobodyDecidesAClosedOrExpiredRequest() {
        ReleaseRequest rejected = aRelease().inState(ReleaseState.REJECTED, "U0LEAD").build();
        assertThat(rejected.approve("U0SRE", true, ONE, NOW)).isEqualTo(new ReleaseRequest.Refused(
                new Refusal.NotOpen(ReleaseState.REJECTED, "U0LEAD")));
        ReleaseRequest stale = aRelease().expiringAt(NOW).build();
        assertThat(stale.approve("U0SRE", true, ONE, NOW)).isEqualTo(new ReleaseRequest.Refused(new Refusal.Expired("prd")));
        assertThat(stale.cancel("U0DEV", NOW)).isEqualTo(new ReleaseRequest.Refused(new Refusal.Expired("prd")));
        assertThat(((ReleaseRequest.Moved) stale.expire(NOW)).request().state()).isEqualTo(ReleaseState.EXPIRED);
        assertThat(aRelease().build().expire(NOW)).isInstanceOf(ReleaseRequest.Refused.class);
    }

    @Test
    void approversRejectAndOnlyTheRequesterCancels() {
        ReleaseRequest request = aRelease().requestedBy("U0DEV").build();
        assertThat(request.reject("U0DEV", false, NOW)).isEqualTo(new ReleaseRequest.Refused(
                new Refusal.NotAnApprover("prd", ReleaseRequest.Verdict.REJECT)));
        assertThat(((ReleaseRequest.Moved) request.reject("U0LEAD", true, NOW)).request().state()).isEqualTo(ReleaseState.REJECTED);
        assertThat(request.cancel("U0LEAD", NOW)).isEqualTo(new ReleaseRequest.Refused(new Refusal.NotTheRequester()));
        assertThat(((ReleaseRequest.Moved) request.cancel("U0DEV", NOW)).request().state()).isEqualTo(ReleaseState.CANCELLED);
    }

    @Test
    void aDeploymentMovesOnlyForward() {
        ReleaseRequest pending = aRelease().build();
        assertThat(pending.startDeploying("ecs-svc/1", "arn:td:7")).isInstanceOf(ReleaseRequest.Refused.class);
        assertThat(pending.succeed(NOW)).isInstanceOf(ReleaseRequest.Refused.class);

        ReleaseRequest approved = ((ReleaseRequest.Moved) pending.approve("U0LEAD", true, ONE, NOW)).request();
        ReleaseRequest deploying = ((ReleaseRequest.Moved) approved.startDeploying("ecs-svc/1", "arn:td:7")).request();
        assertThat(deploying.deployment().deploymentId()).isEqualTo("ecs-svc/1");
        ReleaseRequest.Failure breaker = new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.DEPLOYMENT, "circuit breaker");
        ReleaseRequest failed = ((ReleaseRequest.Moved) deploying.fail(breaker, NOW.plusSeconds(60))).request();
        assertThat(failed.state()).isEqualTo(ReleaseState.FAILED);
        assertThat(failed.deployment().finishedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(failed.deployment().failure()).isEqualTo(breaker);
        assertThat(failed.succeed(NOW)).as("a finished request stays finished").isInstanceOf(ReleaseRequest.Refused.class);
    }

    @Test
    void aCompletedDeploymentBakesAndHoldsTheEnvironmentUntilTheBakeTimeHasPassed() {
        ReleaseRequest deploying = aRelease().deploying("ecs-svc/1", "arn:td:7").build();
        ReleaseRequest baking = ((ReleaseRequest.Moved) deploying.startBaking(NOW)).request();
        assertThat(baking.state()).isEqualTo(ReleaseState.BAKING);
        assertThat(baking.state().running()).as("nothing else ships while it bakes").isTrue();
        assertThat(baking.deployment().bakeStartedAt()).isEqualTo(NOW);
        assertThat(baking.deployment().deploymentId()).isEqualTo("ecs-svc/1");
        assertThat(baking.bakeEndsAt(Duration.ofMinutes(10))).contains(NOW.plusSeconds(600));
        assertThat(baking.startBaking(NOW.plusSeconds(5))).as("a bake starts once").isInstanceOf(ReleaseRequest.Refused.class);

        assertThat(baking.finishBake(Duration.ofMinutes(10), NOW.plusSeconds(599))).as("not before its time")
                .isInstanceOf(ReleaseRequest.Refused.class);
        ReleaseRequest baked = ((ReleaseRequest.Moved) baking.finishBake(Duration.ofMinutes(10), NOW.plusSeconds(601))).request();
        assertThat(baked.state()).isEqualTo(ReleaseState.SUCCEEDED);
        assertThat(baked.deployment().finishedAt()).isEqualTo(NOW.plusSeconds(601));
        assertThat(baked.deployment().bakeStartedAt()).as("how long it baked stays known").isEqualTo(NOW);
    }

    @Test
    void onlyABakingReleaseBakesOrFailsOnAnAlarm() {
        ReleaseRequest deploying = aRelease().deploying("ecs-svc/1", "arn:td:7").build();
        assertThat(deploying.finishBake(Duration.ZERO, NOW)).isInstanceOf(ReleaseRequest.Refused.class);
        assertThat(deploying.alarmFired("app-5xx", NOW, NOW)).isInstanceOf(ReleaseRequest.Refused.class);
        assertThat(aRelease().build().startBaking(NOW)).isInstanceOf(ReleaseRequest.Refused.class);
        assertThat(deploying.bakeEndsAt(Duration.ofMinutes(10))).isEmpty();
    }

    @Test
    void anAlarmDuringTheBakeFailsTheReleaseAndItsRollbackIsApprovedByTheBot() {
        ReleaseRequest baking = aRelease().approvedSoFarBy("U0SRE").inState(ReleaseState.APPROVED, "U0SRE").baking(NOW).build();
        ReleaseRequest failed = ((ReleaseRequest.Moved) baking.alarmFired("app-5xx", NOW.plusSeconds(30), NOW.plusSeconds(32))).request();
        assertThat(failed.state()).isEqualTo(ReleaseState.FAILED);
        assertThat(failed.deployment().failure()).isEqualTo(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.ALARM, "app-5xx",
                null, NOW.plusSeconds(30)));
        assertThat(failed.alarmFired("app-5xx", NOW, NOW)).as("rolled back once").isInstanceOf(ReleaseRequest.Refused.class);

        ReleaseRequest rollback = failed.automaticRollback("r1-back", List.of(releaseTagBack("app", DIGEST_B, DIGEST_A)), "release",
                NOW.plusSeconds(32)).orElseThrow();
        assertThat(rollback.isAutomatic()).isTrue();
        assertThat(rollback.kind()).isEqualTo(ReleaseRequest.Kind.ROLLBACK);
        assertThat(rollback.state()).isEqualTo(ReleaseState.APPROVED);
        assertThat(rollback.decision().decidedBy()).isEqualTo(ReleaseRequest.BOT);
        assertThat(rollback.candidate().digest()).isEqualTo(DIGEST_B);
        assertThat(rollback.ask().previousDigest()).isEqualTo(DIGEST_A);
        assertThat(rollback.requester()).as("mentioned on the rollback").isEqualTo("U0DEV");
        assertThat(rollback.deployment().interrupted()).isEqualTo(baking.id());
        assertThat(((ReleaseRequest.Moved) rollback.startDeploying("ecs-svc/2", "arn:td:6")).request().state()).isEqualTo(ReleaseState.DEPLOYING);
        assertThat(aRelease().rollingBack(1).inState(ReleaseState.APPROVED, "U0LEAD").build().isAutomatic()).isFalse();
    }

    @Test
    void anAutomaticRollbackPutsBackEveryChangedImageAndKeepsTheUnchangedOnes() {
        String sidecar = "sha256:" + "c".repeat(64);
        String oldSidecar = "sha256:" + "d".repeat(64);
        String proxy = "sha256:" + "e".repeat(64);
        ReleaseRequest failed = alarmed(aRelease().ofImages(
                new PinnedImage("app", Optional.of("app"), DIGEST_A, "v2", DIGEST_B),
                new PinnedImage("sidecar", Optional.of("sidecar"), sidecar, null, oldSidecar),
                new PinnedImage("proxy", Optional.of("proxy"), proxy, null, proxy)));

        ReleaseRequest rollback = failed.automaticRollback("r1-back", List.of(releaseTagBack("app", DIGEST_B, DIGEST_A),
                releaseTagBack("sidecar", oldSidecar, sidecar)), "release", NOW).orElseThrow();

        assertThat(rollback.ask().images()).extracting(PinnedImage::repository, PinnedImage::digest, PinnedImage::changed).containsExactly(
                tuple("app", DIGEST_B, true), tuple("sidecar", oldSidecar, true), tuple("proxy", proxy, false));
    }

    @Test
    void aFirstReleaseHasNothingToRollBackTo() {
        ReleaseRequest failed = alarmed(aRelease().ofImages(new PinnedImage("app", Optional.empty(), DIGEST_A, null, null)));

        assertThat(failed.automaticRollback("r1-back", List.of(), "release", NOW)).isEmpty();
    }

    private static ReleaseRequest alarmed(ReleaseTestData.Builder release) {
        ReleaseRequest baking = release.approvedSoFarBy("U0SRE").inState(ReleaseState.APPROVED, "U0SRE").baking(NOW).build();
        return ((ReleaseRequest.Moved) baking.alarmFired("app-5xx", NOW, NOW)).request();
    }

    /** The restore step that points {@code repository}'s release tag back at {@code digest}, away from {@code from}. */
    private static PlanStep releaseTagBack(String repository, String digest, String from) {
        return new PlanStep(0, repository, "release", new Manifest(digest, "{}", "application/vnd.oci.image.manifest.v1+json"),
                new Manifest(from, "{}", "application/vnd.oci.image.manifest.v1+json"), false);
    }
}
