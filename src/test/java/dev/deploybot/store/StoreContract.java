package dev.deploybot.store;

import dev.deploybot.build.BuildRecord;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.ImageRef;
import dev.deploybot.release.ImageDetails;
import dev.deploybot.release.Manifest;
import dev.deploybot.release.PlanStep;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The same behaviour, asserted against every database the bot supports. */
abstract class StoreContract extends MigratedDatabase {
    static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    static final String DIGEST_A = "sha256:" + "a".repeat(64);
    static final String DIGEST_B = "sha256:" + "b".repeat(64);
    JdbcBuildLog builds;
    JdbcAuditTrail audit;
    JdbcReleaseJournal journal;

    StoreContract(Engine engine) {
        super(engine);
    }

    @BeforeEach
    void adapters() {
        builds = new JdbcBuildLog(dataSource);
        audit = new JdbcAuditTrail(dataSource);
        journal = new JdbcReleaseJournal(dataSource);
    }

    @Test
    void aBuildIsRecordedOnceAndKeepsItsMessage() {
        BuildRecord record = new BuildRecord("app-stg:1", "stg", "app-stg", "main", "U1", null, null, NOW);
        assertThat(builds.recordIfNew(record)).isTrue();
        assertThat(builds.recordIfNew(record)).isFalse();
        builds.attachMessage("app-stg:1", "C1", "1700000000.000100");
        assertThat(builds.find("app-stg:1")).contains(record.withMessage("C1", "1700000000.000100"));
        assertThat(builds.find("nope")).isEmpty();
    }

    @Test
    void theAuditLogKeepsEntriesNewestFirst() {
        audit.append(new AuditEntry(NOW, "U1", "stg", "build", "started", "first"));
        audit.append(new AuditEntry(NOW.plusSeconds(1), "U2", "prd", "release", "approved", "second"));
        assertThat(audit.recent(10)).extracting(AuditEntry::detail).containsExactly("second", "first");
        assertThat(audit.recent(1).get(0).at()).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void oneRequestPendsPerEnvironment() {
        assertThat(journal.open(request("r1", "prd"))).isTrue();
        assertThat(journal.open(request("r2", "prd"))).isFalse();
        assertThat(journal.open(request("r3", "qa"))).isTrue();
        assertThat(journal.pendingFor("prd")).map(ReleaseRequest::id).contains("r1");
        assertThat(journal.transition("r1", ReleaseState.PENDING, ReleaseState.CANCELLED, "U1", NOW, null)).isTrue();
        assertThat(journal.pendingFor("prd")).isEmpty();
        assertThat(journal.open(request("r4", "prd"))).isTrue();
    }

    @Test
    void theFirstDecisionWinsUnderConcurrency() throws Exception {
        journal.open(request("r1", "prd"));
        List<Callable<Boolean>> clicks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ReleaseState decision = i % 2 == 0 ? ReleaseState.APPROVED : ReleaseState.REJECTED;
            String actor = "U" + i;
            clicks.add(() -> journal.transition("r1", ReleaseState.PENDING, decision, actor, NOW, null));
        }
        assertThat(runTogether(clicks)).containsOnlyOnce(true);
        ReleaseRequest decided = journal.find("r1").orElseThrow();
        assertThat(decided.state()).isIn(ReleaseState.APPROVED, ReleaseState.REJECTED);
        assertThat(decided.decidedBy()).isNotNull();
    }

    @Test
    void oneRequestRunsPerEnvironment() {
        journal.open(request("r1", "prd"));
        journal.transition("r1", ReleaseState.PENDING, ReleaseState.APPROVED, "U2", NOW, null);
        journal.open(request("r2", "prd"));
        assertThat(journal.transition("r2", ReleaseState.PENDING, ReleaseState.APPROVED, "U3", NOW, null)).isFalse();
        assertThat(journal.find("r2").orElseThrow().state()).isEqualTo(ReleaseState.PENDING);
        assertThat(journal.runningFor("prd")).map(ReleaseRequest::id).contains("r1");
        journal.transition("r1", ReleaseState.APPROVED, ReleaseState.DEPLOYING, "bot", NOW, null);
        assertThat(journal.runningFor("prd")).map(ReleaseRequest::id).contains("r1");
        journal.transition("r1", ReleaseState.DEPLOYING, ReleaseState.FAILED, "bot", NOW, "circuit breaker");
        assertThat(journal.find("r1").orElseThrow().failure()).isEqualTo("circuit breaker");
        assertThat(journal.transition("r2", ReleaseState.PENDING, ReleaseState.APPROVED, "U3", NOW, null)).isTrue();
        assertThat(journal.running()).extracting(ReleaseRequest::id).containsExactly("r2");
    }

    @Test
    void approvalsCountDistinctPeopleAndTheLastNeededOneDecides() {
        journal.open(request("r1", "prd"));
        assertThat(journal.approve("r1", "U2", NOW, 2)).isEqualTo(new ReleaseJournal.Approval(ReleaseJournal.Approval.Result.COUNTED, 1));
        assertThat(journal.approve("r1", "U2", NOW, 2)).isEqualTo(new ReleaseJournal.Approval(ReleaseJournal.Approval.Result.COUNTED, 1));
        assertThat(journal.approve("r1", "U3", NOW, 2)).isEqualTo(new ReleaseJournal.Approval(ReleaseJournal.Approval.Result.DECIDED, 2));
        ReleaseRequest approved = journal.find("r1").orElseThrow();
        assertThat(approved.state()).isEqualTo(ReleaseState.APPROVED);
        assertThat(approved.decidedBy()).isEqualTo("U3");
        assertThat(journal.approve("r1", "U4", NOW, 2).result()).isEqualTo(ReleaseJournal.Approval.Result.NOT_PENDING);
        assertThat(journal.find("r1").orElseThrow().approvedBy("U4")).isFalse();
    }

    @Test
    void concurrentApprovalsLeaveOnlyTheDecisiveOnesRecorded() throws Exception {
        journal.open(request("r1", "prd"));
        List<Callable<ReleaseJournal.Approval.Result>> clicks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String approver = "U" + i;
            clicks.add(() -> journal.approve("r1", approver, NOW, 1).result());
        }
        assertThat(runTogether(clicks)).containsOnlyOnce(ReleaseJournal.Approval.Result.DECIDED);
        assertThat(journal.find("r1").orElseThrow().approvals()).hasSize(1);
    }

    @Test
    void anApprovalCannotStartASecondRunningRequest() {
        journal.open(request("r1", "prd"));
        journal.approve("r1", "U2", NOW, 1);
        journal.open(request("r2", "prd"));
        assertThat(journal.approve("r2", "U2", NOW, 1).result()).isEqualTo(ReleaseJournal.Approval.Result.ANOTHER_RUNNING);
        assertThat(journal.find("r2").orElseThrow().approvals()).isEmpty();
        assertThat(journal.find("r2").orElseThrow().state()).isEqualTo(ReleaseState.PENDING);
    }

    @Test
    void aPlanIsRecordedOnceAndRemembersProgress() {
        journal.open(request("r1", "prd"));
        String multiArch = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}\n";
        List<PlanStep> plan = List.of(
                new PlanStep(0, "release-1gen", new Manifest(DIGEST_B, "{\"b\":1}", "application/vnd.docker.distribution.manifest.v2+json"), null, false),
                new PlanStep(1, "release", new Manifest(DIGEST_A, multiArch, "application/vnd.oci.image.index.v1+json"),
                        new Manifest(DIGEST_B, "{\"b\":1}", "application/vnd.docker.distribution.manifest.v2+json"), false));
        assertThat(journal.recordPlan("r1", PlanStep.Plan.PROMOTE, plan)).isEqualTo(plan);
        List<PlanStep> other = List.of(new PlanStep(0, "release", new Manifest(DIGEST_B, "{}", "x"), null, false));
        assertThat(journal.recordPlan("r1", PlanStep.Plan.PROMOTE, other)).as("a recorded plan is never replaced").isEqualTo(plan);
        journal.stepDone("r1", PlanStep.Plan.PROMOTE, 0, NOW);
        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE)).extracting(PlanStep::done).containsExactly(true, false);
        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE).get(1).manifest().body()).isEqualTo(multiArch);
        assertThat(journal.plan("r1", PlanStep.Plan.RESTORE)).isEmpty();
        assertThat(journal.recordPlan("r1", PlanStep.Plan.RESTORE, other)).as("a second kind of plan beside the first").isEqualTo(other);
    }

    @Test
    void locksSurviveUntilLifted() {
        JdbcEnvironmentLocks locks = new JdbcEnvironmentLocks(dataSource);
        assertThat(locks.lockOf("prd")).isEmpty();
        locks.lock(new dev.deploybot.release.EnvironmentLocks.Lock("prd", "U1", "rolled back", NOW));
        locks.lock(new dev.deploybot.release.EnvironmentLocks.Lock("prd", "U2", "freeze", NOW.plusSeconds(1)));
        assertThat(locks.lockOf("prd")).map(dev.deploybot.release.EnvironmentLocks.Lock::reason).contains("freeze");
        assertThat(locks.unlock("prd")).isTrue();
        assertThat(locks.unlock("prd")).isFalse();
        assertThat(locks.lockOf("prd")).isEmpty();
    }

    @Test
    void theLastSuccessfulReleaseOfADigestIsFound() {
        journal.open(request("r1", "prd"));
        journal.approve("r1", "U2", NOW, 1);
        journal.transition("r1", ReleaseState.APPROVED, ReleaseState.DEPLOYING, "bot", NOW, null);
        journal.transition("r1", ReleaseState.DEPLOYING, ReleaseState.SUCCEEDED, "bot", NOW.plusSeconds(60), null);
        assertThat(journal.lastSucceeded("prd", DIGEST_A)).map(ReleaseRequest::finishedAt).contains(NOW.plusSeconds(60));
        assertThat(journal.lastSucceeded("prd", DIGEST_B)).isEmpty();
    }

    @Test
    void aLeaseHasOneOwnerUntilItLapses() {
        journal.open(request("r1", "prd"));
        assertThat(journal.lease("r1", "replica-a", NOW, NOW.plusSeconds(30))).isTrue();
        assertThat(journal.lease("r1", "replica-b", NOW.plusSeconds(10), NOW.plusSeconds(40))).isFalse();
        assertThat(journal.lease("r1", "replica-a", NOW.plusSeconds(10), NOW.plusSeconds(40))).isTrue();
        assertThat(journal.lease("r1", "replica-b", NOW.plusSeconds(41), NOW.plusSeconds(70))).isTrue();
        journal.release("r1", "replica-b");
        assertThat(journal.lease("r1", "replica-a", NOW.plusSeconds(42), NOW.plusSeconds(70))).isTrue();
    }

    @Test
    void expiredPendingRequestsAreFound() {
        journal.open(request("r1", "prd"));
        assertThat(journal.pendingExpiredAt(NOW.plusSeconds(60))).isEmpty();
        assertThat(journal.pendingExpiredAt(NOW.plusSeconds(1800))).extracting(ReleaseRequest::id).containsExactly("r1");
    }

    static ReleaseRequest request(String id, String environment) {
        return ReleaseRequest.pending(id, environment, "U1", "note", new ImageRef("app", DIGEST_A),
                new ImageDetails(DIGEST_A, List.of("latest", "git-3f2a9c1"), NOW.minusSeconds(600)), DIGEST_B,
                "https://github.com/org/app/compare/abc...def", NOW, NOW.plusSeconds(1800));
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
