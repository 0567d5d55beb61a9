package dev.deploybot.release;

import dev.deploybot.core.Environment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.deploybot.release.InMemoryReleasePorts.MEDIA;
import static dev.deploybot.release.InMemoryReleasePorts.manifest;
import static org.assertj.core.api.Assertions.assertThat;

/** Moving the generation tags of an approved request, on in-memory ports: what the registry holds afterwards. */
class PromoteImageTest {
    private static final String REPO = "app";
    private static final String WORKER = "worker";
    private static final String LEAD = "U0LEAD";
    private static final List<String> GENERATIONS = List.of("release", "release-1gen", "release-2gen");
    private static final Environment.ReleaseSettings SETTINGS = new Environment.ReleaseSettings(REPO, "latest", GENERATIONS,
            List.of(LEAD), 1, false, Duration.ofMinutes(30), Optional.empty(), ".*", Environment.RollbackPolicy.SAFE, true);

    private final InMemoryImageRegistry registry = new InMemoryImageRegistry();
    private final InMemoryReleaseJournal journal = new InMemoryReleaseJournal();
    private final InMemoryReleasePorts.RecordingAnnouncer announcer = new InMemoryReleasePorts.RecordingAnnouncer();
    private final PromoteImage promoteImage = new PromoteImage(registry, journal, announcer,
            new InMemoryReleasePorts.RecordingAuditTrail(), InMemoryReleasePorts.fixedClock());
    private InMemoryReleasePorts.Generations seeded;

    @BeforeEach
    void world() {
        seeded = InMemoryReleasePorts.Generations.pushedTo(registry, REPO);
    }

    @Test
    void aReleaseShiftsEveryGenerationOneOlderOldestFirstThenTagsTheCandidate() {
        PromoteImage.Outcome outcome = promoteImage.promote(approvedRelease(), SETTINGS);

        assertThat(outcome).isInstanceOf(PromoteImage.Promoted.class);
        assertThat(tags(REPO)).isEqualTo(Map.of("release", seeded.candidate(), "release-1gen", seeded.released(), "release-2gen", seeded.oneGenerationAgo()));
        assertThat(registry.writes()).containsExactly("app:release-2gen", "app:release-1gen", "app:release");
        assertThat(announcer.told).containsExactly(
                new ReleaseNews.TagMoved(REPO, "release-2gen", seeded.oneGenerationAgo(), seeded.twoGenerationsAgo(), false),
                new ReleaseNews.TagMoved(REPO, "release-1gen", seeded.released(), seeded.oneGenerationAgo(), false),
                new ReleaseNews.TagMoved(REPO, "release", seeded.candidate(), seeded.released(), false));
    }

    @Test
    void thePlanIsRecordedAndEveryStepMarkedDone() {
        promoteImage.promote(approvedRelease(), SETTINGS);

        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE)).hasSize(3).allMatch(PlanStep::done);
    }

    @Test
    void aReplayAfterAPartialPromotionFollowsTheRecordedPlanAndLosesNoGeneration() {
        ReleaseRequest approved = approvedRelease();
        List<PlanStep> plan = journal.recordPlan("r1", PlanStep.Plan.PROMOTE, PromotionPlan.of(REPO,
                registry.manifests(REPO, List.of("latest")).get("latest"), GENERATIONS, registry.manifests(REPO, GENERATIONS)));
        for (PlanStep step : plan.subList(0, 2)) { // the process died after two of the three writes
            registry.tag(REPO, step.tag(), step.manifest());
            journal.stepDone("r1", PlanStep.Plan.PROMOTE, step.seq(), ReleaseTestData.NOW);
        }

        promoteImage.promote(approved, SETTINGS);

        assertThat(tags(REPO)).isEqualTo(Map.of("release", seeded.candidate(), "release-1gen", seeded.released(), "release-2gen", seeded.oneGenerationAgo()));
    }

    @Test
    void stepsAlreadyDoneAreNotRepeatedNorToldAgain() {
        ReleaseRequest approved = approvedRelease();
        List<PlanStep> plan = journal.recordPlan("r1", PlanStep.Plan.PROMOTE, PromotionPlan.of(REPO,
                registry.manifests(REPO, List.of("latest")).get("latest"), GENERATIONS, registry.manifests(REPO, GENERATIONS)));
        for (PlanStep step : plan.subList(0, 2)) {
            registry.tag(REPO, step.tag(), step.manifest());
            journal.stepDone("r1", PlanStep.Plan.PROMOTE, step.seq(), ReleaseTestData.NOW);
        }
        int writesBefore = registry.writes().size();

        promoteImage.promote(approved, SETTINGS);

        assertThat(registry.writes().subList(writesBefore, registry.writes().size())).containsExactly("app:release");
        assertThat(announcer.told).containsExactly(new ReleaseNews.TagMoved(REPO, "release", seeded.candidate(), seeded.released(), false));
    }

    @Test
    void aPinnedImageThatIsGoneStopsThePromotionBeforeAnyTagMoves() {
        registry.delete(REPO, seeded.candidate());

        PromoteImage.Outcome outcome = promoteImage.promote(approvedRelease(), SETTINGS);

        assertThat(outcome).isEqualTo(new PromoteImage.NotMoved(
                new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.PINNED_IMAGE_GONE, seeded.candidate())));
        assertThat(registry.writes()).isEmpty();
        assertThat(journal.plan("r1", PlanStep.Plan.PROMOTE)).isEmpty();
        assertThat(announcer.told).isEmpty();
    }

    @Test
    void aRollbackByOneGenerationGivesEachTagTheNextOlderImageAndTheOldestKeepsItsOwn() {
        ReleaseRequest rollback = ReleaseTestData.aRelease().rollingBack(1)
                .ofImages(new PinnedImage(REPO, Optional.empty(), seeded.oneGenerationAgo(), null, seeded.released()))
                .inState(ReleaseState.APPROVED, LEAD).build();

        promoteImage.promote(rollback, SETTINGS);

        assertThat(tags(REPO)).isEqualTo(Map.of("release", seeded.oneGenerationAgo(), "release-1gen", seeded.twoGenerationsAgo(),
                "release-2gen", seeded.twoGenerationsAgo()));
    }

    @Test
    void anImageReleasedUnchangedAlongsideAChangedOneKeepsItsTags() {
        registry.createRepository(WORKER, false);
        String worker = registry.push(WORKER, manifest("w"), MEDIA, "release", "latest");
        ReleaseRequest release = ReleaseTestData.aRelease()
                .ofImages(new PinnedImage(REPO, Optional.of("web"), seeded.candidate(), null, seeded.released()),
                        new PinnedImage(WORKER, Optional.of("worker"), worker, null, worker))
                .inState(ReleaseState.APPROVED, LEAD).build();

        promoteImage.promote(release, SETTINGS);

        assertThat(registry.writes()).noneMatch(write -> write.startsWith(WORKER + ":"));
        assertThat(tags(WORKER)).isEqualTo(Map.of("release", worker));
        assertThat(tags(REPO)).containsEntry("release", seeded.candidate());
    }

    private ReleaseRequest approvedRelease() {
        return ReleaseTestData.aRelease().ofImage(seeded.candidate()).inState(ReleaseState.APPROVED, LEAD).build();
    }

    private Map<String, String> tags(String repository) {
        Map<String, String> tags = new HashMap<>();
        GENERATIONS.forEach(tag -> registry.digestOf(repository, tag).ifPresent(digest -> tags.put(tag, digest)));
        return tags;
    }
}
