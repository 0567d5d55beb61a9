package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /deploy rollback prd [n]}: asks to put back the images {@code n} generations old, in every repository the
 * environment releases, together. A pending
 * release request is superseded (nobody should approve a release while production is being rolled
 * back). Deciding it is the pipeline's business, as for any request.
 */
@Singleton
public class RequestRollback {
    private final ImageRegistry registry;
    private final ReleaseJournal journal;
    private final ApproverDirectory directory;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;

    public RequestRollback(ImageRegistry registry, ReleaseJournal journal, ApproverDirectory directory,
                           ReleaseAnnouncer announcer, AuditTrail audit, Clock clock) {
        this.registry = registry;
        this.journal = journal;
        this.directory = directory;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome permits Requested, Refused {
    }

    /** @param approvesItself the requester's own approval decides it (an approver where allowed, or no approval needed) */
    public record Requested(ReleaseRequest request, boolean approvesItself) implements Outcome {
    }

    public record Refused(Refusal refusal) implements Outcome {
    }

    public Outcome request(Environment environment, Actor requester, int generations) {
        Environment.ReleaseSettings settings = environment.release()
                .orElseThrow(() -> new IllegalArgumentException(environment.name() + " has no release settings"));
        List<String> tags = settings.generationTags();
        if (generations < 1 || generations >= tags.size()) {
            return refuse(environment, requester, tags.size() < 2 ? new Refusal.NoOlderGeneration(environment.name(), tags)
                    : new Refusal.GenerationsOutOfRange(environment.name(), tags.size() - 1));
        }
        Optional<ReleaseRequest> running = journal.runningFor(environment.name());
        if (running.isPresent() && running.get().state() == ReleaseState.APPROVED) {
            return refuse(environment, requester, new Refusal.Busy(running.get().kind(), environment.name(), true));
        }
        List<PinnedImage> images = new ArrayList<>();
        for (Environment.ReleasedImage image : settings.images()) {
            Map<String, Manifest> current = registry.manifests(image.repository(), tags);
            Manifest runningNow = current.get(settings.releaseTag());
            Manifest target = current.get(tags.get(generations));
            if (runningNow == null || target == null) {
                return refuse(environment, requester, new Refusal.NoImageToRollBackTo(runningNow == null ? settings.releaseTag()
                        : tags.get(generations), image.repository()));
            }
            images.add(new PinnedImage(image.repository(), image.container(), target.digest(), null, runningNow.digest()));
        }
        if (images.stream().noneMatch(PinnedImage::changed)) {
            return refuse(environment, requester, new Refusal.SameImage(tags.get(generations), settings.releaseTag(), images.get(0).digest()));
        }
        PinnedImage main = images.get(0);
        Instant now = clock.instant();
        journal.pendingFor(environment.name()).ifPresent(pending -> supersede(pending, requester, now));
        ImageDetails details = registry.describe(settings.repository(), main.digest())
                .orElse(new ImageDetails(main.digest(), List.of(tags.get(generations)), null));
        String releasedAt = journal.lastSucceeded(environment.name(), main.digest())
                .map(released -> "; that image was released " + released.deployment().finishedAt()).orElse("");
        String note = "Back " + generations + " generation" + (generations == 1 ? "" : "s") + releasedAt;
        ReleaseRequest request = ReleaseRequest.pending(UUID.randomUUID().toString(), new ReleaseRequest.Ask(ReleaseRequest.Kind.ROLLBACK,
                generations, environment.name(), requester.userId(), note, main.image(), details.tags(), details.pushedAt(),
                main.previousDigest(), null, now, now.plus(settings.expiresAfter()), images));
        if (!journal.open(request)) {
            return refuse(environment, requester, new Refusal.SimultaneousRequest(environment.name()));
        }
        audit.append(new AuditEntry(now, requester.userId(), environment.name(), "rollback", "requested",
                request.id() + " from " + main.previousDigest() + " to " + main.digest() + " (" + generations + " generation(s))"));
        announcer.tell(request, new ReleaseNews.Requested());
        return new Requested(request, approvesItself(settings, requester));
    }

    private boolean approvesItself(Environment.ReleaseSettings settings, Actor requester) {
        return !settings.rollback().requiresApproval()
                || settings.rollback().approverMaySelfApprove() && new ApprovalPolicy(settings, directory).isApprover(requester.userId());
    }

    private void supersede(ReleaseRequest pending, Actor requester, Instant now) {
        if (pending.supersede(requester.userId(), now) instanceof ReleaseRequest.Moved moved
                && journal.save(moved.request()) instanceof ReleaseJournal.Saved saved) {
            audit.append(new AuditEntry(now, requester.userId(), pending.environment(), pending.kind().name().toLowerCase(),
                    "superseded", pending.id() + " by a rollback"));
            announcer.tell(saved.request(), new ReleaseNews.Decided());
        }
    }

    private Refused refuse(Environment environment, Actor requester, Refusal refusal) {
        audit.append(new AuditEntry(clock.instant(), requester.userId(), environment.name(), "rollback", "refused", refusal.toString()));
        return new Refused(refusal);
    }
}
