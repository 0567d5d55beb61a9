package dev.deploybot.release;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the generation tags of an approved release, in every repository it releases. The one plan is recorded
 * before the first write and, after a crash, replayed as recorded: recomputing it from half-moved tags would lose
 * a generation.
 * Each step is idempotent (a tag already on its target counts as done), so replays are safe. One look
 * at each repository ({@code BatchGetImage}) both proves the pinned image still exists and plans its moves;
 * the news of each move is stored for the channel, never waited for.
 */
@Singleton
public class PromoteImage {
    private final ImageRegistry registry;
    private final ReleaseJournal journal;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;

    public PromoteImage(ImageRegistry registry, ReleaseJournal journal, ReleaseAnnouncer announcer, AuditTrail audit,
                        Clock clock) {
        this.registry = registry;
        this.journal = journal;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome permits Promoted, NotMoved {
    }

    public record Promoted(List<PlanStep> plan) implements Outcome {
    }

    /** Stopped before the first write; the tags are as they were. */
    public record NotMoved(ReleaseRequest.Failure why) implements Outcome {
    }

    /**
     * Plans every pinned image's moves, each repository looked at once, and records the one plan before the first
     * write; any image that cannot move stops the release before anything moved. An image released unchanged keeps
     * its tags, yet its pinned image must still exist (the deployment pins it too).
     */
    public Outcome promote(ReleaseRequest request, Environment.ReleaseSettings settings) {
        List<PlanStep> plan = journal.plan(request.id(), PlanStep.Plan.PROMOTE);
        if (plan.isEmpty()) {
            List<List<PlanStep>> plans = new ArrayList<>();
            for (PinnedImage image : request.ask().images()) {
                boolean moves = request.isRollback() || image.changed();
                if (moves && registry.refusesToMove(image.repository(), settings.releaseTag()).isPresent()) {
                    return new NotMoved(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.TAGS_IMMUTABLE, image.repository()));
                }
                ImageRegistry.Snapshot snapshot = registry.snapshot(image.repository(), image.digest(), settings.generationTags());
                if (snapshot.pinned().isEmpty()) {
                    return new NotMoved(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.PINNED_IMAGE_GONE, image.digest()));
                }
                if (request.isRollback()) {
                    String target = settings.generationTags().get(request.ask().generations());
                    Manifest now = snapshot.tags().get(target);
                    if (now == null || !now.digest().equals(image.digest())) {
                        return new NotMoved(new ReleaseRequest.Failure(ReleaseRequest.Failure.Cause.TAG_MOVED, target));
                    }
                    plans.add(PromotionPlan.rollback(image.repository(), request.ask().generations(), settings.generationTags(),
                            snapshot.tags()));
                } else if (moves) {
                    plans.add(PromotionPlan.of(image.repository(), snapshot.pinned().get(), settings.generationTags(), snapshot.tags()));
                }
            }
            plan = journal.recordPlan(request.id(), PlanStep.Plan.PROMOTE, PromotionPlan.together(plans));
            audit.append(new AuditEntry(clock.instant(), null, request.environment(), "promotion", "planned",
                    request.id() + " " + describe(plan)));
        }
        return new Promoted(apply(request, PlanStep.Plan.PROMOTE, plan));
    }

    /**
     * Puts back every tag the request's promotion moved, from the manifests recorded in its plan. Itself
     * a recorded plan, so an interrupted restore resumes like a promotion. Answers the steps of the restore.
     */
    public List<PlanStep> restore(ReleaseRequest request) {
        List<PlanStep> plan = journal.plan(request.id(), PlanStep.Plan.RESTORE);
        if (plan.isEmpty()) {
            List<PlanStep> applied = journal.plan(request.id(), PlanStep.Plan.PROMOTE).stream().filter(PlanStep::done).toList();
            plan = journal.recordPlan(request.id(), PlanStep.Plan.RESTORE, PromotionPlan.restore(applied));
        }
        return apply(request, PlanStep.Plan.RESTORE, plan);
    }

    private List<PlanStep> apply(ReleaseRequest request, PlanStep.Plan kind, List<PlanStep> plan) {
        List<PlanStep> done = new ArrayList<>();
        for (PlanStep step : plan) {
            if (!step.done()) {
                ImageRegistry.TagResult result = registry.tag(step.repository(), step.tag(), step.manifest());
                journal.stepDone(request.id(), kind, step.seq(), clock.instant());
                audit.append(new AuditEntry(clock.instant(), null, request.environment(), kind.name().toLowerCase(),
                        "tag " + result.name().toLowerCase(),
                        request.id() + " " + step.repository() + ":" + step.tag() + " " + step.previousDigest() + " -> "
                                + step.manifest().digest()));
                announcer.tell(request, new ReleaseNews.TagMoved(step.repository(), step.tag(), step.manifest().digest(),
                        step.previousDigest(), kind == PlanStep.Plan.RESTORE));
            }
            done.add(step.completed());
        }
        return List.copyOf(done);
    }

    private static String describe(List<PlanStep> plan) {
        StringBuilder text = new StringBuilder();
        for (PlanStep step : plan) {
            text.append(step.repository()).append(':').append(step.tag()).append(": ").append(step.previousDigest())
                    .append(" -> ").append(step.manifest().digest()).append("; ");
        }
        return text.toString();
    }
}
