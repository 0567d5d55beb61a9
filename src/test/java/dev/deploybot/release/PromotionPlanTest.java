package dev.deploybot.release;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PromotionPlanTest {
    private static final String APP = "app";
    private static final List<String> TAGS = List.of("release", "release-1gen", "release-2gen");
    private static final Manifest CANDIDATE = manifest('c');
    private static final Manifest RELEASE = manifest('r');
    private static final Manifest ONE_GEN = manifest('1');
    private static final Manifest TWO_GEN = manifest('2');

    @Test
    void shiftsEveryGenerationOldestFirstThenReleasesTheCandidate() {
        List<PlanStep> plan = PromotionPlan.of(APP, CANDIDATE, TAGS,
                Map.of("release", RELEASE, "release-1gen", ONE_GEN, "release-2gen", TWO_GEN));
        assertThat(plan).extracting(PlanStep::tag).containsExactly("release-2gen", "release-1gen", "release");
        assertThat(plan).extracting(step -> step.manifest().digest())
                .containsExactly(ONE_GEN.digest(), RELEASE.digest(), CANDIDATE.digest());
        assertThat(plan).extracting(PlanStep::previousDigest)
                .containsExactly(TWO_GEN.digest(), ONE_GEN.digest(), RELEASE.digest());
        assertThat(plan).extracting(PlanStep::seq).containsExactly(0, 1, 2);
    }

    @Test
    void aFirstReleaseOnlyTagsTheCandidate() {
        List<PlanStep> plan = PromotionPlan.of(APP, CANDIDATE, TAGS, Map.of());
        assertThat(plan).extracting(PlanStep::tag).containsExactly("release");
        assertThat(plan.get(0).previousDigest()).isNull();
    }

    @Test
    void aSecondReleaseSkipsTheGenerationThatDoesNotExistYet() {
        List<PlanStep> plan = PromotionPlan.of(APP, CANDIDATE, TAGS, Map.of("release", RELEASE));
        assertThat(plan).extracting(PlanStep::tag).containsExactly("release-1gen", "release");
        assertThat(plan.get(0).manifest()).isEqualTo(RELEASE);
    }

    @Test
    void aSingleGenerationJustMovesTheReleaseTag() {
        assertThat(PromotionPlan.of(APP, CANDIDATE, List.of("prod"), Map.of("prod", RELEASE)))
                .extracting(PlanStep::tag).containsExactly("prod");
    }

    @Test
    void aRollbackByOneShiftsEveryGenerationBackAndKeepsTheOldest() {
        Map<String, Manifest> current = Map.of("release", RELEASE, "release-1gen", ONE_GEN, "release-2gen", TWO_GEN);
        List<PlanStep> plan = PromotionPlan.rollback(APP, 1, TAGS, current);
        assertThat(plan).extracting(PlanStep::tag).containsExactly("release", "release-1gen");
        assertThat(plan).extracting(PlanStep::manifest).containsExactly(ONE_GEN, TWO_GEN);
        assertThat(plan).extracting(PlanStep::previous).containsExactly(RELEASE, ONE_GEN);
    }

    @Test
    void aRollbackByTwoTakesTheOldestGeneration() {
        Map<String, Manifest> current = Map.of("release", RELEASE, "release-1gen", ONE_GEN, "release-2gen", TWO_GEN);
        assertThat(PromotionPlan.rollback(APP, 2, TAGS, current)).extracting(PlanStep::tag, PlanStep::manifest)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("release", TWO_GEN));
    }

    @Test
    void aRestoreUndoesAPromotionNewestFirst() {
        List<PlanStep> promotion = PromotionPlan.of(APP, CANDIDATE, TAGS,
                Map.of("release", RELEASE, "release-1gen", ONE_GEN, "release-2gen", TWO_GEN));
        List<PlanStep> restore = PromotionPlan.restore(promotion);
        assertThat(restore).extracting(PlanStep::tag).containsExactly("release", "release-1gen", "release-2gen");
        assertThat(restore).extracting(PlanStep::manifest).containsExactly(RELEASE, ONE_GEN, TWO_GEN);
        assertThat(PromotionPlan.restore(PromotionPlan.of(APP, CANDIDATE, TAGS, Map.of()))).as("a new tag has nothing to go back to").isEmpty();
    }

    @Test
    void severalRepositoriesMakeOnePlanEachRepositoryInTurnNumberedThrough() {
        Map<String, Manifest> current = Map.of("release", RELEASE, "release-1gen", ONE_GEN, "release-2gen", TWO_GEN);
        List<PlanStep> plan = PromotionPlan.together(List.of(PromotionPlan.of(APP, CANDIDATE, TAGS, current),
                PromotionPlan.of("app-nginx", ONE_GEN, TAGS, Map.of("release", RELEASE))));
        assertThat(plan).extracting(PlanStep::seq, PlanStep::repository, PlanStep::tag).containsExactly(
                tuple(0, APP, "release-2gen"), tuple(1, APP, "release-1gen"), tuple(2, APP, "release"),
                tuple(3, "app-nginx", "release-1gen"), tuple(4, "app-nginx", "release"));
        assertThat(plan.get(4).manifest()).isEqualTo(ONE_GEN);
    }

    @Test
    void aRestoreOfSeveralRepositoriesPutsEachTagBackInItsOwnRepository() {
        Map<String, Manifest> current = Map.of("release", RELEASE, "release-1gen", ONE_GEN);
        List<PlanStep> promotion = PromotionPlan.together(List.of(PromotionPlan.of(APP, CANDIDATE, TAGS, current),
                PromotionPlan.of("app-nginx", TWO_GEN, TAGS, current)));
        List<PlanStep> restore = PromotionPlan.restore(promotion);
        assertThat(restore).extracting(PlanStep::seq, PlanStep::repository, PlanStep::tag, PlanStep::manifest).containsExactly(
                tuple(0, "app-nginx", "release", RELEASE), tuple(1, "app-nginx", "release-1gen", ONE_GEN),
                tuple(2, APP, "release", RELEASE), tuple(3, APP, "release-1gen", ONE_GEN));
    }

    @Test
    void aRollbackOfSeveralRepositoriesShiftsEachBack() {
        Map<String, Manifest> current = Map.of("release", RELEASE, "release-1gen", ONE_GEN, "release-2gen", TWO_GEN);
        List<PlanStep> plan = PromotionPlan.together(List.of(PromotionPlan.rollback(APP, 1, TAGS, current),
                PromotionPlan.rollback("app-nginx", 1, TAGS, current)));
        assertThat(plan).extracting(PlanStep::repository, PlanStep::tag, PlanStep::manifest).containsExactly(
                tuple(APP, "release", ONE_GEN), tuple(APP, "release-1gen", TWO_GEN),
                tuple("app-nginx", "release", ONE_GEN), tuple("app-nginx", "release-1gen", TWO_GEN));
    }

    @Property
    void applyingThePlanShiftsGenerationsWithoutLosingOne(@ForAll @IntRange(min = 1, max = 6) int depth,
                                                          @ForAll @IntRange(min = 0, max = 6) int existing) {
        List<String> tags = new ArrayList<>();
        Map<String, Manifest> registry = new LinkedHashMap<>();
        for (int generation = 0; generation < depth; generation++) {
            tags.add(generation == 0 ? "release" : "release-" + generation + "gen");
            if (generation < existing) {
                registry.put(tags.get(generation), manifest((char) ('a' + generation)));
            }
        }
        Map<String, Manifest> before = new HashMap<>(registry);
        for (PlanStep step : PromotionPlan.of(APP, CANDIDATE, tags, registry)) {
            registry.put(step.tag(), step.manifest());
        }
        assertThat(registry.get("release")).isEqualTo(CANDIDATE);
        for (int generation = 1; generation < depth; generation++) {
            Manifest expected = before.containsKey(tags.get(generation - 1))
                    ? before.get(tags.get(generation - 1)) : before.get(tags.get(generation));
            assertThat(registry.get(tags.get(generation))).isEqualTo(expected);
        }
        Map<String, Manifest> promoted = new HashMap<>(registry);
        for (PlanStep step : PromotionPlan.restore(PromotionPlan.of(APP, CANDIDATE, tags, before))) {
            promoted.put(step.tag(), step.manifest());
        }
        for (String tag : before.keySet()) {
            assertThat(promoted.get(tag)).as("restoring puts %s back", tag).isEqualTo(before.get(tag));
        }
    }

    private static Manifest manifest(char fill) {
        return new Manifest("sha256:" + String.valueOf(fill).repeat(64), "{\"fill\":\"" + fill + "\"}",
                "application/vnd.docker.distribution.manifest.v2+json");
    }
}
