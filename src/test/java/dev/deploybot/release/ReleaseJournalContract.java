package dev.deploybot.release;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.deploybot.release.ReleaseTestData.DIGEST_A;
import static dev.deploybot.release.ReleaseTestData.DIGEST_B;
import static dev.deploybot.release.ReleaseTestData.NOW;
import static dev.deploybot.release.ReleaseTestData.aRelease;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every release journal does, asserted against the JDBC adapter on each database and against the
 * in-memory one the use-case tests run on, so the fast tests stand for the real store.
 */
public abstract class ReleaseJournalContract {
    private ReleaseJournal journal;

    /** A journal over an empty store. */
    protected abstract ReleaseJournal newJournal() throws Exception;

    @BeforeEach
    final void emptyJournal() throws Exception {
        journal = newJournal();
    }

    @Test
    void aRequestIsStoredWhole() {
        ReleaseRequest request = aRelease().build();
        journal.open(request);
        assertThat(journal.find("r1")).contains(request);
        assertThat(journal.find("nope")).isEmpty();
    }

    @Test
    void aRequestOfSeveralImagesIsStoredWithEveryPinnedImage() {
        ReleaseRequest request = aRelease().ofImages(
                new PinnedImage("team/api", Optional.of("web"), DIGEST_A, "git-3f2a9c1", DIGEST_B),
                new PinnedImage("team/api-nginx", Optional.of("nginx"), DIGEST_B, null, DIGEST_B)).build();
        journal.open(request);
        ReleaseRequest found = journal.find("r1").orElseThrow();
        assertThat(found).isEqualTo(request);
        assertThat(found.ask().images()).extracting(PinnedImage::changed).containsExactly(true, false);
    }

    @Test
    void onePlanCoversEveryRepositoryOfARequest() {
        journal.open(aRelease().build());
        Manifest a = new Manifest(DIGEST_A, "{\"a\":1}", "application/vnd.docker.distribution.manifest.v2+json");
        Manifest b = new Manifest(DIGEST_B, "{\"b\":1}", "application/vnd.docker.distribution.manifest.v2+json");
        List<PlanStep> plan = PromotionPlan.together(List.of(PromotionPlan.of("team/api", a, List.of("release"), Map.of("release", b)),
                PromotionPlan.of("team/api-nginx", b, List.of("release"), Map.of("release", a))));
        journal.recordPlan("r1", PlanStep.Plan.PROMOTE, plan);
        journal.stepDone("r1", PlanStep.Plan.PROMOTE, 0, NOW);
        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE)).extracting(PlanStep::seq, PlanStep::repository, PlanStep::done)
                .containsExactly(tuple(0, "team/api", true), tuple(1, "team/api-nginx", false));
    }

    @Test
    void oneRequestPendsPerEnvironment() {
        assertThat(journal.open(aRelease().withId("r1").build())).isTrue();
        assertThat(journal.open(aRelease().withId("r2").build())).isFalse();
        assertThat(journal.open(aRelease().withId("r3").in("qa").build())).isTrue();
        assertThat(journal.pendingFor("prd")).map(ReleaseRequest::id).contains("r1");
        saved(moved(journal.find("r1").orElseThrow().cancel("U0DEV", NOW)));
        assertThat(journal.pendingFor("prd")).isEmpty();
        assertThat(journal.open(aRelease().withId("r4").build())).isTrue();
    }

    @Test
    void aChangeIsSavedOnlyOverTheVersionItWasRead() {
        journal.open(aRelease().build());
        ReleaseRequest read = journal.find("r1").orElseThrow();
        ReleaseRequest rejected = saved(moved(read.reject("U0LEAD", true, NOW)));
        assertThat(rejected.version()).isEqualTo(read.version() + 1);
        assertThat(journal.save(moved(read.cancel("U0DEV", NOW)))).isInstanceOf(ReleaseJournal.Stale.class);
        ReleaseRequest stored = journal.find("r1").orElseThrow();
        assertThat(stored.state()).isEqualTo(ReleaseState.REJECTED);
        assertThat(stored.decision().decidedBy()).isEqualTo("U0LEAD");
        assertThat(stored.decision().decidedAt()).isEqualTo(NOW);
    }

    @Test
    void theFirstDecisionWinsUnderConcurrency() throws Exception {
        journal.open(aRelease().build());
        ReleaseRequest read = journal.find("r1").orElseThrow();
        ReleaseRequest.ApprovalRules one = new ReleaseRequest.ApprovalRules(1, false, true);
        List<Callable<Boolean>> clicks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String actor = "U" + i;
            ReleaseRequest.Transition decision = i % 2 == 0 ? read.approve(actor, true, one, NOW) : read.reject(actor, true, NOW);
            clicks.add(() -> journal.save(moved(decision)) instanceof ReleaseJournal.Saved);
        }
        assertThat(runTogether(clicks)).containsOnlyOnce(true);
        ReleaseRequest decided = journal.find("r1").orElseThrow();
        assertThat(decided.state()).isIn(ReleaseState.APPROVED, ReleaseState.REJECTED);
        assertThat(decided.decision().approvals()).hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void approvalsAreStoredWithTheRequest() {
        journal.open(aRelease().build());
        ReleaseRequest.ApprovalRules two = new ReleaseRequest.ApprovalRules(2, false, true);
        ReleaseRequest.Transition first = journal.find("r1").orElseThrow().approve("U0LEAD", true, two, NOW);
        assertThat(first).isInstanceOf(ReleaseRequest.Counted.class);
        journal.save(((ReleaseRequest.Counted) first).request());
        ReleaseRequest once = journal.find("r1").orElseThrow();
        assertThat(once.approvedBy("U0LEAD")).isTrue();
        assertThat(once.state()).isEqualTo(ReleaseState.PENDING);
        saved(moved(once.approve("U0SRE", true, two, NOW.plusSeconds(1))));
        ReleaseRequest approved = journal.find("r1").orElseThrow();
        assertThat(approved.decision().approvals()).extracting(ReleaseRequest.Approval::approver).containsExactly("U0LEAD", "U0SRE");
        assertThat(approved.state()).isEqualTo(ReleaseState.APPROVED);
        assertThat(approved.decision().decidedBy()).isEqualTo("U0SRE");
    }

    @Test
    void oneRequestRunsPerEnvironment() {
        ReleaseRequest.ApprovalRules one = new ReleaseRequest.ApprovalRules(1, false, true);
        journal.open(aRelease().withId("r1").build());
        ReleaseRequest first = saved(moved(journal.find("r1").orElseThrow().approve("U0LEAD", true, one, NOW)));
        journal.open(aRelease().withId("r2").build());
        assertThat(journal.save(moved(journal.find("r2").orElseThrow().approve("U0LEAD", true, one, NOW))))
                .isInstanceOf(ReleaseJournal.EnvironmentBusy.class);
        assertThat(journal.find("r2").orElseThrow().state()).isEqualTo(ReleaseState.PENDING);
        assertThat(journal.find("r2").orElseThrow().decision().approvals()).isEmpty();
        ReleaseRequest deploying = saved(moved(first.startDeploying("ecs-svc/1", "arn:td:7")));
        assertThat(journal.runningFor("prd")).map(ReleaseRequest::id).contains("r1");
        assertThat(journal.running()).extracting(ReleaseRequest::id).containsExactly("r1");
        ReleaseRequest failed = saved(moved(deploying.fail(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.DEPLOYMENT,
                "circuit breaker"), NOW.plusSeconds(60))).restored(DIGEST_B));
        assertThat(journal.find("r1")).contains(failed);
        assertThat(failed.deployment().failure()).isEqualTo(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.DEPLOYMENT,
                "circuit breaker", DIGEST_B, null));
        assertThat(journal.runningFor("prd")).isEmpty();
        saved(moved(journal.find("r2").orElseThrow().approve("U0LEAD", true, one, NOW)));
        assertThat(journal.running()).extracting(ReleaseRequest::id).containsExactly("r2");
    }

    @Test
    void aBakeIsStoredAndABakedOutReleaseHandsTheEnvironmentToItsRollbackOnce() {
        journal.open(aRelease().withId("r1").build());
        ReleaseRequest read = journal.find("r1").orElseThrow();
        ReleaseRequest deploying = saved(moved(saved(moved(read.approve("U0LEAD", true, new ReleaseRequest.ApprovalRules(1, false, true), NOW)))
                .startDeploying("ecs-svc/1", "arn:td:7")));
        ReleaseRequest baking = saved(moved(deploying.startBaking(NOW.plusSeconds(60))));
        assertThat(journal.find("r1")).contains(baking);
        assertThat(journal.running()).extracting(ReleaseRequest::id).containsExactly("r1");
        assertThat(journal.lease("r1", "w1", NOW, NOW.plusSeconds(60))).as("a baking release is worked on under a lease").isTrue();

        ReleaseRequest failed = moved(baking.alarmFired("app-5xx", NOW.plusSeconds(90), NOW.plusSeconds(95)));
        PlanStep back = new PlanStep(0, "app", "release", new Manifest(DIGEST_B, "{}", "application/vnd.oci.image.manifest.v1+json"),
                new Manifest(DIGEST_A, "{}", "application/vnd.oci.image.manifest.v1+json"), false);
        ReleaseRequest rollback = failed.automaticRollback("r1-back", List.of(back), "release", NOW.plusSeconds(95)).orElseThrow();
        assertThat(journal.handOver(failed, rollback, List.of(back))).isInstanceOf(ReleaseJournal.Saved.class);
        assertThat(journal.handOver(failed, rollback, List.of(back))).as("a second replica loses").isInstanceOf(ReleaseJournal.Stale.class);

        ReleaseRequest storedRelease = journal.find("r1").orElseThrow();
        assertThat(storedRelease.state()).isEqualTo(ReleaseState.FAILED);
        assertThat(storedRelease.deployment().failure()).isEqualTo(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.ALARM,
                "app-5xx", null, NOW.plusSeconds(90)));
        assertThat(storedRelease.deployment().bakeStartedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(journal.runningFor("prd")).map(ReleaseRequest::id).contains("r1-back");
        ReleaseRequest storedRollback = journal.find("r1-back").orElseThrow();
        assertThat(storedRollback.state()).isEqualTo(ReleaseState.APPROVED);
        assertThat(storedRollback.isAutomatic()).isTrue();
        assertThat(storedRollback.candidate().digest()).isEqualTo(DIGEST_B);
        assertThat(journal.plan("r1-back", PlanStep.Plan.PROMOTE)).containsExactly(back);
    }

    @Test
    void aPlanIsRecordedOnceAndRemembersProgress() {
        journal.open(aRelease().build());
        String multiArch = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}\n";
        List<PlanStep> plan = List.of(
                new PlanStep(0, "app", "release-1gen", new Manifest(DIGEST_B, "{\"b\":1}", "application/vnd.docker.distribution.manifest.v2+json"), null, false),
                new PlanStep(1, "app", "release", new Manifest(DIGEST_A, multiArch, "application/vnd.oci.image.index.v1+json"),
                        new Manifest(DIGEST_B, "{\"b\":1}", "application/vnd.docker.distribution.manifest.v2+json"), false));
        assertThat(journal.recordPlan("r1", PlanStep.Plan.PROMOTE, plan)).isEqualTo(plan);
        List<PlanStep> other = List.of(new PlanStep(0, "app", "release", new Manifest(DIGEST_B, "{}", "x"), null, false));
        assertThat(journal.recordPlan("r1", PlanStep.Plan.PROMOTE, other)).as("a recorded plan is never replaced").isEqualTo(plan);
        journal.stepDone("r1", PlanStep.Plan.PROMOTE, 0, NOW);
        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE)).extracting(PlanStep::done).containsExactly(true, false);
        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE).get(1).manifest().body()).isEqualTo(multiArch);
        assertThat(journal.plan("r1", PlanStep.Plan.RESTORE)).isEmpty();
        assertThat(journal.recordPlan("r1", PlanStep.Plan.RESTORE, other)).as("a second kind of plan beside the first").isEqualTo(other);
    }

    @Test
    void theLastSuccessfulReleaseOfADigestIsFound() {
        journal.open(aRelease().build());
        ReleaseRequest approved = saved(moved(journal.find("r1").orElseThrow()
                .approve("U0LEAD", true, new ReleaseRequest.ApprovalRules(1, false, true), NOW)));
        ReleaseRequest deploying = saved(moved(approved.startDeploying("ecs-svc/1", "arn:td:7")));
        saved(moved(deploying.succeed(NOW.plusSeconds(60))));
        assertThat(journal.lastSucceeded("prd", DIGEST_A)).map(r -> r.deployment().finishedAt()).contains(NOW.plusSeconds(60));
        assertThat(journal.lastSucceeded("prd", DIGEST_B)).isEmpty();
    }

    @Test
    void aLeaseOnARunningRequestHasOneOwnerUntilItLapses() {
        journal.open(aRelease().build());
        assertThat(journal.lease("r1", "replica-a", NOW, NOW.plusSeconds(30))).as("nothing to work on while pending").isFalse();
        saved(moved(journal.find("r1").orElseThrow().approve("U0LEAD", true, new ReleaseRequest.ApprovalRules(1, false, true), NOW)));
        assertThat(journal.lease("r1", "replica-a", NOW, NOW.plusSeconds(30))).isTrue();
        assertThat(journal.lease("r1", "replica-b", NOW.plusSeconds(10), NOW.plusSeconds(40))).isFalse();
        assertThat(journal.lease("r1", "replica-a", NOW.plusSeconds(10), NOW.plusSeconds(40))).isTrue();
        assertThat(journal.lease("r1", "replica-b", NOW.plusSeconds(41), NOW.plusSeconds(70))).isTrue();
        journal.release("r1", "replica-b");
        assertThat(journal.lease("r1", "replica-a", NOW.plusSeconds(42), NOW.plusSeconds(70))).isTrue();
    }

    @Test
    void expiredPendingRequestsAreFound() {
        journal.open(aRelease().build());
        assertThat(journal.pendingExpiredAt(NOW.plusSeconds(60))).isEmpty();
        assertThat(journal.pendingExpiredAt(NOW.plusSeconds(1800))).extracting(ReleaseRequest::id).containsExactly("r1");
    }

    private static ReleaseRequest moved(ReleaseRequest.Transition transition) {
        assertThat(transition).isInstanceOf(ReleaseRequest.Moved.class);
        return ((ReleaseRequest.Moved) transition).request();
    }

    private ReleaseRequest saved(ReleaseRequest changed) {
        ReleaseJournal.Save save = journal.save(changed);
        assertThat(save).isInstanceOf(ReleaseJournal.Saved.class);
        return ((ReleaseJournal.Saved) save).request();
    }

    private static <T> List<T> runTogether(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
