package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.deploybot.release.InMemoryReleasePorts.MEDIA;
import static dev.deploybot.release.InMemoryReleasePorts.manifest;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /deploy rollback prd [n]} on in-memory ports: what is pinned, superseded, refused and told. */
class RequestRollbackTest {
    private static final String REPO = "app";
    private static final String LEAD = "U0LEAD";
    private static final Actor DEV = Actor.of("U0DEV");
    private static final List<String> GENERATIONS = List.of("release", "release-1gen", "release-2gen");

    private final InMemoryImageRegistry registry = new InMemoryImageRegistry();
    private final InMemoryReleaseJournal journal = new InMemoryReleaseJournal();
    private final InMemoryReleasePorts.RecordingAnnouncer announcer = new InMemoryReleasePorts.RecordingAnnouncer();
    private final RequestRollback requestRollback = new RequestRollback(registry, journal, group -> Set.of(), announcer,
            new InMemoryReleasePorts.RecordingAuditTrail(), InMemoryReleasePorts.fixedClock());
    private InMemoryReleasePorts.Generations seeded;

    @BeforeEach
    void world() {
        seeded = InMemoryReleasePorts.Generations.pushedTo(registry, REPO);
    }

    @Test
    void aRollbackPinsTheImageTheGenerationTagNamesAndWaitsForApproval() {
        RequestRollback.Outcome outcome = requestRollback.request(prd(GENERATIONS, Environment.RollbackPolicy.SAFE), DEV, 2);

        assertThat(outcome).isInstanceOfSatisfying(RequestRollback.Requested.class,
                requested -> assertThat(requested.approvesItself()).isFalse());
        ReleaseRequest stored = journal.pendingFor("prd").orElseThrow();
        assertThat(stored.kind()).isEqualTo(ReleaseRequest.Kind.ROLLBACK);
        assertThat(stored.ask().generations()).isEqualTo(2);
        assertThat(stored.state()).isEqualTo(ReleaseState.PENDING);
        assertThat(stored.candidate().digest()).isEqualTo(seeded.twoGenerationsAgo());
        assertThat(stored.ask().previousDigest()).isEqualTo(seeded.released());
        assertThat(stored.ask().note()).isEqualTo("Back 2 generations");
        assertThat(announcer.told).containsExactly(new ReleaseNews.Requested());
    }

    @Test
    void aPendingReleaseIsSupersededByTheRollback() {
        journal.open(ReleaseTestData.aRelease().withId("r1").build());

        requestRollback.request(prd(GENERATIONS, Environment.RollbackPolicy.SAFE), DEV, 1);

        ReleaseRequest superseded = journal.find("r1").orElseThrow();
        assertThat(superseded.state()).isEqualTo(ReleaseState.SUPERSEDED);
        assertThat(superseded.decision().decidedBy()).isEqualTo(DEV.userId());
        ReleaseRequest rollback = journal.pendingFor("prd").orElseThrow();
        assertThat(rollback.candidate().digest()).isEqualTo(seeded.oneGenerationAgo());
        assertThat(announcer.told).containsExactly(new ReleaseNews.Decided(), new ReleaseNews.Requested());
    }

    @Test
    void anEnvironmentWithASingleGenerationTagHasNoOlderGeneration() {
        RequestRollback.Outcome outcome = requestRollback.request(prd(List.of("release"), Environment.RollbackPolicy.SAFE), DEV, 1);

        assertThat(outcome).isEqualTo(new RequestRollback.Refused(new Refusal.NoOlderGeneration("prd", List.of("release"))));
        assertThat(journal.pendingFor("prd")).isEmpty();
    }

    @Test
    void goingBackFurtherThanTheGenerationTagsReachIsOutOfRange() {
        RequestRollback.Outcome outcome = requestRollback.request(prd(GENERATIONS, Environment.RollbackPolicy.SAFE), DEV, 3);

        assertThat(outcome).isEqualTo(new RequestRollback.Refused(new Refusal.GenerationsOutOfRange("prd", 2)));
        assertThat(journal.pendingFor("prd")).isEmpty();
        assertThat(announcer.told).isEmpty();
    }

    @Test
    void anApprovedReleaseAboutToMoveTagsMakesTheEnvironmentBusy() {
        journal.open(ReleaseTestData.aRelease().build());
        journal.save(ReleaseTestData.aRelease().inState(ReleaseState.APPROVED, LEAD).build());

        RequestRollback.Outcome outcome = requestRollback.request(prd(GENERATIONS, Environment.RollbackPolicy.SAFE), DEV, 1);

        assertThat(outcome).isEqualTo(new RequestRollback.Refused(new Refusal.Busy(ReleaseRequest.Kind.RELEASE, "prd", true)));
        assertThat(journal.pendingFor("prd")).isEmpty();
    }

    @Test
    void aGenerationNamingTheImageThatRunsNowIsRefusedAsTheSameImage() {
        registry.push(REPO, manifest("r"), MEDIA, "release-1gen");

        RequestRollback.Outcome outcome = requestRollback.request(prd(GENERATIONS, Environment.RollbackPolicy.SAFE), DEV, 1);

        assertThat(outcome).isEqualTo(new RequestRollback.Refused(new Refusal.SameImage("release-1gen", "release", seeded.released())));
    }

    @Test
    void anApproverMaySelfApproveARollbackWhereThePolicyAllowsIt() {
        RequestRollback.Outcome outcome = requestRollback.request(prd(GENERATIONS, new Environment.RollbackPolicy(true, true)),
                Actor.of(LEAD), 1);

        assertThat(outcome).isInstanceOfSatisfying(RequestRollback.Requested.class,
                requested -> assertThat(requested.approvesItself()).isTrue());
    }

    private static Environment prd(List<String> generations, Environment.RollbackPolicy rollback) {
        Environment.ReleaseSettings settings = new Environment.ReleaseSettings(REPO, "latest", generations, List.of(LEAD), 1,
                false, Duration.ofMinutes(30), Optional.empty(), ".*", rollback, true);
        return new Environment("prd", "C0PRD", List.of(), Optional.empty(), Optional.of(settings), Optional.empty());
    }
}
