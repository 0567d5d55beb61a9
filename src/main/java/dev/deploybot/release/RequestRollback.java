package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.ImageRef;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /deploy rollback prd [n]}: asks to put back the image {@code n} generations old. A pending
 * release request is superseded (nobody should approve a release while production is being rolled
 * back); where the environment allows it, the rollback is approved at once.
 */
@Singleton
public class RequestRollback {
    private final ImageRegistry registry;
    private final ReleaseJournal journal;
    private final DecideRelease decide;
    private final ApproverDirectory directory;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;

    public RequestRollback(ImageRegistry registry, ReleaseJournal journal, DecideRelease decide, ApproverDirectory directory,
                           ReleaseAnnouncer announcer, AuditTrail audit, Clock clock) {
        this.registry = registry;
        this.journal = journal;
        this.decide = decide;
        this.directory = directory;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
    }

    public sealed interface Outcome permits Requested, Refused {
    }

    /** @param decision what happened when the rollback was approved at once; empty when it waits for approvers */
    public record Requested(ReleaseRequest request, Optional<DecideRelease.Outcome> decision) implements Outcome {
    }

    public record Refused(String reason) implements Outcome {
    }

    public Outcome request(Environment environment, Actor requester, int generations) {
        Environment.ReleaseSettings settings = environment.release()
                .orElseThrow(() -> new IllegalArgumentException(environment.name() + " has no release settings"));
        List<String> tags = settings.generationTags();
        if (generations < 1 || generations >= tags.size()) {
            return refuse(environment, requester, tags.size() < 2
                    ? environment.name() + " keeps no older generation (tags: " + tags + "), so there is nothing to roll back to."
                    : "You can roll back 1 to " + (tags.size() - 1) + " generation(s) in " + environment.name() + ".");
        }
        Optional<ReleaseRequest> running = journal.runningFor(environment.name());
        if (running.isPresent() && running.get().state() == ReleaseState.APPROVED) {
            return refuse(environment, requester, "A " + running.get().kind().name().toLowerCase()
                    + " of " + environment.name() + " is moving tags right now; try again in a moment.");
        }
        Map<String, Manifest> current = registry.manifests(settings.repository(), tags);
        Manifest runningNow = current.get(settings.releaseTag());
        Manifest target = current.get(tags.get(generations));
        if (runningNow == null || target == null) {
            return refuse(environment, requester, "There is no `" + (runningNow == null ? settings.releaseTag() : tags.get(generations))
                    + "` in `" + settings.repository() + "`, so there is nothing to roll back to. Nothing was changed.");
        }
        if (target.digest().equals(runningNow.digest())) {
            return refuse(environment, requester, "`" + tags.get(generations) + "` is the same image as `" + settings.releaseTag()
                    + "` (" + ImageRef.shortDigest(target.digest()) + "); rolling back would change nothing.");
        }
        Instant now = clock.instant();
        journal.pendingFor(environment.name()).ifPresent(pending -> supersede(pending, requester, now));
        ImageDetails details = registry.describe(settings.repository(), target.digest())
                .orElse(new ImageDetails(target.digest(), List.of(tags.get(generations)), null));
        String releasedAt = journal.lastSucceeded(environment.name(), target.digest())
                .map(released -> "; that image was released " + released.finishedAt()).orElse("");
        String note = "Back " + generations + " generation" + (generations == 1 ? "" : "s") + releasedAt;
        ReleaseRequest request = ReleaseRequest.rollback(UUID.randomUUID().toString(), environment.name(), requester.userId(),
                generations, note, new ImageRef(settings.repository(), target.digest()), details, runningNow.digest(), now,
                now.plus(settings.expiresAfter()));
        if (!journal.open(request)) {
            return refuse(environment, requester, "Another request for " + environment.name() + " was made at the same moment; look at the channel.");
        }
        audit.append(new AuditEntry(now, requester.userId(), environment.name(), "rollback", "requested",
                request.id() + " from " + runningNow.digest() + " to " + target.digest() + " (" + generations + " generation(s))"));
        String id = request.id();
        announcer.requested(request).ifPresent(ts -> journal.attachMessage(id, environment.channel(), ts));
        Optional<DecideRelease.Outcome> decision = approvesItself(settings, requester)
                ? Optional.of(decide.approve(id, requester)) : Optional.empty();
        return new Requested(journal.find(id).orElseThrow(), decision);
    }

    private boolean approvesItself(Environment.ReleaseSettings settings, Actor requester) {
        return !settings.rollback().requiresApproval()
                || settings.rollback().approverMaySelfApprove() && new ApprovalPolicy(settings, directory).isApprover(requester.userId());
    }

    private void supersede(ReleaseRequest pending, Actor requester, Instant now) {
        if (journal.transition(pending.id(), ReleaseState.PENDING, ReleaseState.SUPERSEDED, requester.userId(), now, null)) {
            audit.append(new AuditEntry(now, requester.userId(), pending.environment(), pending.kind().name().toLowerCase(),
                    "superseded", pending.id() + " by a rollback"));
            journal.find(pending.id()).ifPresent(superseded -> announcer.updated(superseded,
                    "by a rollback requested by <@" + requester.userId() + ">"));
        }
    }

    private Refused refuse(Environment environment, Actor requester, String reason) {
        audit.append(new AuditEntry(clock.instant(), requester.userId(), environment.name(), "rollback", "refused", reason));
        return new Refused(reason);
    }

}
