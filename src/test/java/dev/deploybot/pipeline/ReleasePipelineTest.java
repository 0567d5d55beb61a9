package dev.deploybot.pipeline;

import dev.deploybot.activity.AlarmLog;
import dev.deploybot.activity.AlarmStateChanged;
import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.Progress;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.deploy.FollowDeployment;
import dev.deploybot.deploy.InMemoryServiceDeployer;
import dev.deploybot.deploy.MigrationRunner;
import dev.deploybot.deploy.RunMigration;
import dev.deploybot.deploy.ServiceDeployers;
import dev.deploybot.release.EnvironmentLocks;
import dev.deploybot.release.InMemoryImageRegistry;
import dev.deploybot.release.InMemoryReleaseJournal;
import dev.deploybot.release.InMemoryReleasePorts;
import dev.deploybot.release.Manifest;
import dev.deploybot.release.PlanStep;
import dev.deploybot.release.PromoteImage;
import dev.deploybot.release.PromotionPlan;
import dev.deploybot.release.ReleaseNews;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import dev.deploybot.release.ReleaseTestData;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The orchestrator's state moves and failure paths, on in-memory ports: no Micronaut context, no HTTP, no
 * waiting. The registry and journal fakes pass the same contracts as their ECR and JDBC adapters.
 */
class ReleasePipelineTest {
    private static final String REPO = "app";
    private static final String LEAD = "U0LEAD";
    private static final List<String> GENERATIONS = List.of("release", "release-1gen", "release-2gen");

    private final MovableClock clock = new MovableClock(ReleaseTestData.NOW);
    private final InMemoryImageRegistry registry = new InMemoryImageRegistry();
    private final InMemoryReleaseJournal journal = new InMemoryReleaseJournal();
    private final InMemoryServiceDeployer deployer = new InMemoryServiceDeployer();
    private final InMemoryReleasePorts.RecordingAnnouncer announcer = new InMemoryReleasePorts.RecordingAnnouncer();
    private ReleasePipeline pipeline;
    private InMemoryReleasePorts.Generations seeded;

    @BeforeEach
    void world() {
        seeded = InMemoryReleasePorts.Generations.pushedTo(registry, REPO);

        Environment.ReleaseSettings release = new Environment.ReleaseSettings(REPO, "latest", GENERATIONS, List.of(LEAD), 1,
                false, Duration.ofMinutes(30), Optional.empty(), ".*", Environment.RollbackPolicy.SAFE, true);
        Environment.DeploySettings deploy = new Environment.DeploySettings(Environment.Strategy.ECS, "prod", "web",
                Optional.of("web"), 8080, null, null, null, Duration.ofMinutes(10));
        Environments environments = new Environments(List.of(new Environment("prd", "C0PRD", List.of(), Optional.empty(),
                Optional.of(release), Optional.of(deploy))));
        AuditTrail trail = new InMemoryReleasePorts.RecordingAuditTrail();
        EnvironmentLocks environmentLocks = new InMemoryReleasePorts.Locks();
        FollowDeployment.Sleeper noWait = duration -> {
        };
        MigrationRunner noMigrations = (MigrationRunner) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{MigrationRunner.class}, (proxy, method, args) -> {
                    throw new AssertionError("no migration configured");
                });
        pipeline = new ReleasePipeline(environments, journal, group -> Set.of(), environmentLocks,
                new PromoteImage(registry, journal, announcer, trail, clock), registry, new ServiceDeployers(List.of(deployer)),
                new FollowDeployment(clock, noWait), new RunMigration(noMigrations, clock, noWait), announcer, trail, clock,
                Duration.ofMinutes(2), Duration.ofSeconds(10), new Stopping(), names -> {
                    throw new AssertionError("no bake configured");
                }, new AlarmLog() {
                    @Override
                    public boolean record(AlarmStateChanged change) {
                        throw new AssertionError("no bake configured");
                    }

                    @Override
                    public Optional<AlarmStateChanged> latest(String alarmName) {
                        return Optional.empty();
                    }
                }, new ReleaseMeters(new SimpleMeterRegistry()));
    }

    @Test
    void anApprovalPromotesDeploysAndFinishesTheRelease() {
        journal.open(ReleaseTestData.aRelease().ofImage(seeded.candidate()).build());

        ReleasePipeline.Outcome outcome = pipeline.decide("r1", Actor.of(LEAD), ReleaseRequest.Verdict.APPROVE);

        assertThat(outcome).isInstanceOf(ReleasePipeline.Shipped.class);
        assertThat(state()).isEqualTo(ReleaseState.SUCCEEDED);
        assertThat(tags()).isEqualTo(Map.of("release", seeded.candidate(), "release-1gen", seeded.released(), "release-2gen", seeded.oneGenerationAgo()));
        assertThat(registry.writes()).as("oldest generation first").containsExactly(
                "app:release-2gen", "app:release-1gen", "app:release");
        assertThat(deployer.deployed()).singleElement()
                .satisfies(images -> assertThat(images.primary().uri()).endsWith("/app@" + seeded.candidate()));
        assertThat(announcer.told).extracting(news -> news.getClass().getSimpleName()).containsSubsequence(
                "Decided", "TagMoved", "TagMoved", "TagMoved", "TagsMoved", "DeploymentStarted", "Finished");
    }

    @Test
    void aFailedDeploymentPutsEveryTagBack() {
        deployer.answering(new DeploymentStatus(Progress.IN_PROGRESS, "1/2 tasks running", null),
                new DeploymentStatus(Progress.FAILED, "0/2 tasks running", "circuit breaker: task failed to start"));
        journal.open(ReleaseTestData.aRelease().ofImage(seeded.candidate()).build());

        pipeline.decide("r1", Actor.of(LEAD), ReleaseRequest.Verdict.APPROVE);

        ReleaseRequest failed = journal.find("r1").orElseThrow();
        assertThat(failed.state()).isEqualTo(ReleaseState.FAILED);
        assertThat(failed.deployment().failure().cause()).isEqualTo(ReleaseRequest.Failure.Cause.DEPLOYMENT);
        assertThat(failed.deployment().failure().detail()).contains("circuit breaker");
        assertThat(tags()).isEqualTo(Map.of("release", seeded.released(), "release-1gen", seeded.oneGenerationAgo(),
                "release-2gen", seeded.twoGenerationsAgo()));
    }

    @Test
    void aPinnedImageThatIsGoneFailsTheReleaseBeforeAnyTagMoves() {
        journal.open(ReleaseTestData.aRelease().ofImage(seeded.candidate()).build());
        registry.delete(REPO, seeded.candidate());

        pipeline.decide("r1", Actor.of(LEAD), ReleaseRequest.Verdict.APPROVE);

        ReleaseRequest failed = journal.find("r1").orElseThrow();
        assertThat(failed.state()).isEqualTo(ReleaseState.FAILED);
        assertThat(failed.deployment().failure().cause()).isEqualTo(ReleaseRequest.Failure.Cause.PINNED_IMAGE_GONE);
        assertThat(registry.writes()).isEmpty();
        assertThat(deployer.deployed()).isEmpty();
    }

    @Test
    void aWorkerThatLostItsLeaseLetsGoAndLeavesTheReleaseToTheNewHolder() {
        deployer.answering(new DeploymentStatus(Progress.IN_PROGRESS, "1/2 tasks running", null),
                        new DeploymentStatus(Progress.SUCCEEDED, "2/2 tasks running", null))
                .whileLooking(handle -> {
                    // This worker stalls past its lease, and another replica takes the release over.
                    clock.advance(Duration.ofMinutes(3));
                    journal.lease("r1", "another-replica", clock.instant(), clock.instant().plus(Duration.ofMinutes(2)));
                });
        journal.open(ReleaseTestData.aRelease().ofImage(seeded.candidate()).build());

        pipeline.decide("r1", Actor.of(LEAD), ReleaseRequest.Verdict.APPROVE);

        assertThat(state()).as("not finished by a worker that no longer holds it").isEqualTo(ReleaseState.DEPLOYING);
        assertThat(announcer.told).noneMatch(ReleaseNews.Finished.class::isInstance);
    }

    @Test
    void aPromotionCutOffAfterTwoWritesIsReplayedFromItsRecordedPlanNotFromTheTagsAsTheyAreNow() {
        ReleaseRequest approved = ReleaseTestData.aRelease().ofImage(seeded.candidate()).inState(ReleaseState.APPROVED, LEAD).build();
        journal.open(ReleaseTestData.aRelease().ofImage(seeded.candidate()).build());
        journal.save(approved);
        Map<String, Manifest> before = registry.manifests(REPO, GENERATIONS);
        List<PlanStep> plan = journal.recordPlan("r1", PlanStep.Plan.PROMOTE,
                PromotionPlan.of(REPO, registry.manifests(REPO, List.of("latest")).get("latest"), GENERATIONS, before));
        for (PlanStep step : plan.subList(0, 2)) { // the process died after two of the three writes
            registry.tag(REPO, step.tag(), step.manifest());
            journal.stepDone("r1", PlanStep.Plan.PROMOTE, step.seq(), clock.instant());
        }

        pipeline.resume("r1");

        assertThat(state()).isEqualTo(ReleaseState.SUCCEEDED);
        assertThat(tags()).as("no generation lost").isEqualTo(Map.of("release", seeded.candidate(), "release-1gen", seeded.released(),
                "release-2gen", seeded.oneGenerationAgo()));
    }

    private ReleaseState state() {
        return journal.find("r1").orElseThrow().state();
    }

    private Map<String, String> tags() {
        Map<String, String> tags = new HashMap<>();
        GENERATIONS.forEach(tag -> registry.digestOf(REPO, tag).ifPresent(digest -> tags.put(tag, digest)));
        return tags;
    }

    /** Time moves only when a story says so. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        synchronized void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
