package dev.deploybot.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Works out tag moves from one look at the registry. Computed once and recorded before the first
 * write; replaying it after a crash keeps every generation, where recomputing from half-moved tags
 * would not. A request of several images gets one plan: each repository's moves in turn ({@link #together}).
 */
public final class PromotionPlan {
    private PromotionPlan() {
    }

    /**
     * A release: every generation moves one older, oldest first, then the newest takes the candidate.
     *
     * @param generationTags newest first, e.g. {@code [release, release-1gen, release-2gen]}
     * @param current        what the generation tags name now; absent tags have no entry
     */
    public static List<PlanStep> of(String repository, Manifest candidate, List<String> generationTags, Map<String, Manifest> current) {
        List<PlanStep> steps = new ArrayList<>();
        for (int older = generationTags.size() - 1; older >= 1; older--) {
            Manifest newer = current.get(generationTags.get(older - 1));
            if (newer == null) {
                continue; // the first releases have fewer generations than tags
            }
            steps.add(step(steps.size(), repository, generationTags.get(older), newer, current));
        }
        steps.add(step(steps.size(), repository, generationTags.get(0), candidate, current));
        return List.copyOf(steps);
    }

    /**
     * A rollback by {@code generations}: each tag takes what the tag that many generations older names,
     * newest first; the oldest generations, with nothing older to take, keep their image.
     */
    public static List<PlanStep> rollback(String repository, int generations, List<String> generationTags, Map<String, Manifest> current) {
        List<PlanStep> steps = new ArrayList<>();
        for (int newer = 0; newer + generations < generationTags.size(); newer++) {
            Manifest older = current.get(generationTags.get(newer + generations));
            if (older != null) {
                steps.add(step(steps.size(), repository, generationTags.get(newer), older, current));
            }
        }
        return List.copyOf(steps);
    }

    /** One plan of the repositories' plans, run one repository after the other, in the order given. */
    public static List<PlanStep> together(List<List<PlanStep>> plans) {
        List<PlanStep> steps = new ArrayList<>();
        plans.forEach(plan -> plan.forEach(step -> steps.add(step.numbered(steps.size()))));
        return List.copyOf(steps);
    }

    /** Undoes a plan: every tag it moved goes back to what it named before, in the reverse order of the moves. */
    public static List<PlanStep> restore(List<PlanStep> applied) {
        List<PlanStep> steps = new ArrayList<>();
        for (int i = applied.size() - 1; i >= 0; i--) {
            PlanStep step = applied.get(i);
            if (step.previous() != null && !step.previous().digest().equals(step.manifest().digest())) {
                steps.add(new PlanStep(steps.size(), step.repository(), step.tag(), step.previous(), step.manifest(), false));
            }
        }
        return List.copyOf(steps);
    }

    private static PlanStep step(int seq, String repository, String tag, Manifest target, Map<String, Manifest> current) {
        return new PlanStep(seq, repository, tag, target, current.get(tag), false);
    }
}
