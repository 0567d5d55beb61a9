package dev.deploybot.release;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ImageRef;
import dev.deploybot.core.ExternalFailure;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Moves the generation tags of an approved release. The plan is recorded before the first write and,
 * after a crash, replayed as recorded: recomputing it from half-moved tags would lose a generation.
 * Each step is idempotent (a tag already on its target counts as done), so replays are safe.
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

    public sealed interface Outcome permits Promoted, Refused {
    }

    public record Promoted(List<PlanStep> plan) implements Outcome {
    }

    /** Refused before the first write; the tags are as they were. */
    public record Refused(String reason) implements Outcome {
    }

    public Outcome promote(ReleaseRequest request, Environment.ReleaseSettings settings) {
        List<PlanStep> plan = journal.plan(request.id(), PlanStep.Plan.PROMOTE);
        if (plan.isEmpty()) {
            Optional<String> refusal = refusalBeforeFirstWrite(request, settings);
            if (refusal.isPresent()) {
                return new Refused(refusal.get());
            }
            ImageRegistry.Snapshot snapshot = registry.snapshot(settings.repository(), request.candidate().digest(),
                    settings.generationTags());
            if (snapshot.pinned().isEmpty()) {
                return new Refused("The pinned image " + request.candidate().shortDigest() + " is no longer in the repository.");
            }
            if (request.isRollback()) {
                String target = settings.generationTags().get(request.generations());
                Manifest now = snapshot.tags().get(target);
                if (now == null || !now.digest().equals(request.candidate().digest())) {
                    return new Refused("`" + target + "` has moved since the rollback was requested; nothing was changed. Request the rollback again.");
                }
            }
            List<PlanStep> computed = request.isRollback()
                    ? PromotionPlan.rollback(request.generations(), settings.generationTags(), snapshot.tags())
                    : PromotionPlan.of(snapshot.pinned().get(), settings.generationTags(), snapshot.tags());
            plan = journal.recordPlan(request.id(), PlanStep.Plan.PROMOTE, computed);
            audit.append(new AuditEntry(clock.instant(), null, request.environment(), "promotion", "planned",
                    request.id() + " " + describe(plan)));
        }
        apply(request, settings, PlanStep.Plan.PROMOTE, plan);
        return new Promoted(journal.plan(request.id(), PlanStep.Plan.PROMOTE));
    }

    /**
     * Puts back every tag the request's promotion moved, from the manifests recorded in its plan. Itself
     * a recorded plan, so an interrupted restore resumes like a promotion.
     */
    public List<PlanStep> restore(ReleaseRequest request, Environment.ReleaseSettings settings) {
        List<PlanStep> plan = journal.plan(request.id(), PlanStep.Plan.RESTORE);
        if (plan.isEmpty()) {
            List<PlanStep> applied = journal.plan(request.id(), PlanStep.Plan.PROMOTE).stream().filter(PlanStep::done).toList();
            plan = journal.recordPlan(request.id(), PlanStep.Plan.RESTORE, PromotionPlan.restore(applied));
        }
        apply(request, settings, PlanStep.Plan.RESTORE, plan);
        return plan;
    }

    private void apply(ReleaseRequest request, Environment.ReleaseSettings settings, PlanStep.Plan kind, List<PlanStep> plan) {
        for (PlanStep step : plan) {
            if (step.done()) {
                continue;
            }
            ImageRegistry.TagResult result = registry.tag(settings.repository(), step.tag(), step.manifest());
            journal.stepDone(request.id(), kind, step.seq(), clock.instant());
            audit.append(new AuditEntry(clock.instant(), null, request.environment(), kind.name().toLowerCase(),
                    "tag " + result.name().toLowerCase(),
                    request.id() + " " + step.tag() + " " + step.previousDigest() + " -> " + step.manifest().digest()));
            announcer.detail(request, (kind == PlanStep.Plan.RESTORE ? "Restored " : "") + "`" + step.tag() + "` → `"
                    + ImageRef.shortDigest(step.manifest().digest()) + "`"
                    + (step.previousDigest() == null ? " (new tag)" : " (was `" + ImageRef.shortDigest(step.previousDigest()) + "`)"));
        }
    }

    private Optional<String> refusalBeforeFirstWrite(ReleaseRequest request, Environment.ReleaseSettings settings) {
        try {
            if (registry.tagsAreImmutable(settings.repository())) {
                return Optional.of("The repository `" + settings.repository() + "` has immutable tags, so `"
                        + settings.releaseTag() + "` cannot move. Nothing was changed. Make the repository's tags MUTABLE and request again.");
            }
        } catch (ExternalFailure failure) {
            if (!failure.retryable()) {
                return Optional.of("The registry refused: " + failure.code() + " " + failure.detail());
            }
            throw failure;
        }
        return Optional.empty();
    }

    private static String describe(List<PlanStep> plan) {
        StringBuilder text = new StringBuilder();
        for (PlanStep step : plan) {
            text.append(step.tag()).append(": ").append(step.previousDigest()).append(" -> ").append(step.manifest().digest()).append("; ");
        }
        return text.toString();
    }

}
