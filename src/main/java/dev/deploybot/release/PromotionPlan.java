package dev.deploybot.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Works out the tag moves of a release: every generation moves one older, oldest first, then the
 * newest generation takes the candidate. Computed once from one look at the registry and recorded
 * before the first write; replaying it after a crash keeps every generation, where recomputing from
 * half-moved tags would not.
 */
public final class PromotionPlan {
    private PromotionPlan() {
    }

    /**
     * @param generationTags newest first, e.g. {@code [release, release-1gen, release-2gen]}
     * @param current        what the generation tags name now; absent tags have no entry
     */
    public static List<PlanStep> of(Manifest candidate, List<String> generationTags, Map<String, Manifest> current) {
        List<PlanStep> steps = new ArrayList<>();
        for (int older = generationTags.size() - 1; older >= 1; older--) {
            Manifest newer = current.get(generationTags.get(older - 1));
            if (newer == null) {
                continue; // the first releases have fewer generations than tags
            }
            steps.add(step(steps.size(), generationTags.get(older), newer, current));
        }
        steps.add(step(steps.size(), generationTags.get(0), candidate, current));
        return List.copyOf(steps);
    }

    private static PlanStep step(int seq, String tag, Manifest target, Map<String, Manifest> current) {
        Manifest before = current.get(tag);
        return new PlanStep(seq, tag, target, before == null ? null : before.digest(), false);
    }
}
