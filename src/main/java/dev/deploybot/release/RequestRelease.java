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
import java.util.regex.Pattern;

/**
 * {@code /deploy prd}: pins the image the source tag names now, in every repository the environment releases, to
 * its digest and asks for approval. Pinning is the point: whatever is pushed to the source tags afterwards,
 * approvers approve these images. Images whose source tag names what the release tag does are released unchanged.
 */
@Singleton
public class RequestRelease {
    private final ImageRegistry registry;
    private final ReleaseJournal journal;
    private final EnvironmentLocks locks;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final ProvenInStaging provenInStaging;
    private final AlarmStates alarms;
    private final Clock clock;

    public RequestRelease(ImageRegistry registry, ReleaseJournal journal, EnvironmentLocks locks, ReleaseAnnouncer announcer,
                          AuditTrail audit, ProvenInStaging provenInStaging, AlarmStates alarms, Clock clock) {
        this.registry = registry;
        this.journal = journal;
        this.locks = locks;
        this.announcer = announcer;
        this.audit = audit;
        this.provenInStaging = provenInStaging;
        this.alarms = alarms;
        this.clock = clock;
    }

    public sealed interface Outcome permits Requested, Refused {
    }

    public record Requested(ReleaseRequest request) implements Outcome {
    }

    public record Refused(Refusal refusal) implements Outcome {
    }

    public Outcome request(Environment environment, Actor requester, String note) {
        Environment.ReleaseSettings settings = environment.release()
                .orElseThrow(() -> new IllegalArgumentException(environment.name() + " has no release settings"));
        Optional<Refusal.Locked> locked = locks.refusal(environment.name());
        if (locked.isPresent()) {
            return refuse(environment, requester, locked.get());
        }
        Optional<ReleaseRequest> pending = journal.pendingFor(environment.name());
        if (pending.isPresent()) {
            return refuse(environment, requester, new Refusal.AlreadyPending(environment.name(), pending.get().id()));
        }
        List<PinnedImage> pinned = new ArrayList<>();
        for (Environment.ReleasedImage image : settings.images()) {
            Map<String, Manifest> tags = registry.manifests(image.repository(), List.of(settings.sourceTag(), settings.releaseTag()));
            Manifest source = tags.get(settings.sourceTag());
            if (source == null) {
                return refuse(environment, requester, new Refusal.NoSourceImage(image.repository(), settings.sourceTag()));
            }
            Manifest current = tags.get(settings.releaseTag());
            pinned.add(new PinnedImage(image.repository(), image.container(), source.digest(), null,
                    current == null ? null : current.digest()));
        }
        if (pinned.stream().noneMatch(PinnedImage::changed)) {
            return refuse(environment, requester, pinned.size() == 1
                    ? new Refusal.NothingToRelease(settings.sourceTag(), settings.releaseTag(), pinned.get(0).digest())
                    : new Refusal.NoImageChanged(settings.sourceTag(), settings.releaseTag(),
                    pinned.stream().map(PinnedImage::repository).toList()));
        }
        for (PinnedImage image : pinned.stream().filter(PinnedImage::changed).toList()) {
            Optional<Refusal.TagsImmutable> immutable = registry.refusesToMove(image.repository(), settings.releaseTag());
            if (immutable.isPresent()) {
                return refuse(environment, requester, immutable.get());
            }
        }
        PinnedImage candidate = pinned.get(0);
        // A bake watching an alarm that does not exist would pass anything: refuse before anyone approves.
        Optional<List<String>> missing = settings.bake().map(bake -> alarms.read(bake.alarms()).stream()
                .filter(alarm -> alarm.condition() == AlarmState.Condition.MISSING).map(AlarmState::name).toList());
        if (missing.isPresent() && !missing.get().isEmpty()) {
            return refuse(environment, requester, new Refusal.MissingAlarms(environment.name(), missing.get()));
        }
        ProvenInStaging.Verdict proof = provenInStaging.check(settings, candidate.digest());
        if (!(proof instanceof ProvenInStaging.Proven || proof instanceof ProvenInStaging.NotRequired)) {
            return refuse(environment, requester, new Refusal.Unproven(candidate.digest(), proof));
        }
        Instant now = clock.instant();
        ImageDetails details = registry.describe(settings.repository(), candidate.digest())
                .orElse(new ImageDetails(candidate.digest(), List.of(settings.sourceTag()), null));
        String compareUrl = compareUrl(settings, details, candidate.previousDigest()).orElse(null);
        List<PinnedImage> images = new ArrayList<>();
        for (PinnedImage image : pinned) {
            List<String> tags = images.isEmpty() ? details.tags()
                    : registry.describe(image.repository(), image.digest()).map(ImageDetails::tags).orElse(List.of());
            images.add(new PinnedImage(image.repository(), image.container(), image.digest(), commitTag(settings, tags).orElse(null),
                    image.previousDigest()));
        }
        ReleaseRequest request = ReleaseRequest.pending(UUID.randomUUID().toString(), new ReleaseRequest.Ask(ReleaseRequest.Kind.RELEASE, 0,
                environment.name(), requester.userId(), note == null || note.isBlank() ? null : note.strip(),
                candidate.image(), details.tags(), details.pushedAt(), candidate.previousDigest(), compareUrl, now,
                now.plus(settings.expiresAfter()), images));
        if (!journal.open(request)) {
            return refuse(environment, requester, new Refusal.AlreadyPending(environment.name(),
                    journal.pendingFor(environment.name()).map(ReleaseRequest::id).orElse(null)));
        }
        audit.append(new AuditEntry(now, requester.userId(), environment.name(), "release", "requested",
                request.id() + " " + candidate.digest() + " (release was " + request.ask().previousDigest() + ")"));
        announcer.tell(request, new ReleaseNews.Requested(proof instanceof ProvenInStaging.Proven proven ? Optional.of(proven) : Optional.empty()));
        return new Requested(request);
    }

    private Optional<String> compareUrl(Environment.ReleaseSettings settings, ImageDetails candidate, String previousDigest) {
        if (settings.compareUrl().isEmpty() || previousDigest == null) {
            return Optional.empty();
        }
        Optional<String> to = commitTag(settings, candidate.tags());
        Optional<String> from = registry.describe(settings.repository(), previousDigest)
                .flatMap(details -> commitTag(settings, details.tags()));
        if (to.isEmpty() || from.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(settings.compareUrl().get().replace("{from}", from.get()).replace("{to}", to.get()));
    }

    private static Optional<String> commitTag(Environment.ReleaseSettings settings, List<String> tags) {
        Pattern commitTag = Pattern.compile(settings.commitTagPattern());
        return tags.stream().filter(tag -> commitTag.matcher(tag).find()).findFirst();
    }

    private Refused refuse(Environment environment, Actor requester, Refusal refusal) {
        audit.append(new AuditEntry(clock.instant(), requester.userId(), environment.name(), "release", "refused", refusal.toString()));
        return new Refused(refusal);
    }
}
