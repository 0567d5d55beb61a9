package dev.deploybot.release;

import dev.deploybot.core.Actor;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.deploybot.release.InMemoryReleasePorts.MEDIA;
import static dev.deploybot.release.InMemoryReleasePorts.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** {@code /deploy prd} on in-memory ports: what is pinned, stored, refused and told. */
class RequestReleaseTest {
    private static final String REPO = "app";
    private static final String WORKER = "worker";
    private static final Actor DEV = Actor.of("U0DEV");
    private static final List<String> GENERATIONS = List.of("release", "release-1gen", "release-2gen");

    private final Clock clock = InMemoryReleasePorts.fixedClock();
    private final InMemoryImageRegistry registry = new InMemoryImageRegistry();
    private final InMemoryReleaseJournal journal = new InMemoryReleaseJournal();
    private final InMemoryReleasePorts.Locks locks = new InMemoryReleasePorts.Locks();
    private final InMemoryReleasePorts.RecordingAnnouncer announcer = new InMemoryReleasePorts.RecordingAnnouncer();
    private final InMemoryReleasePorts.RecordingAuditTrail audit = new InMemoryReleasePorts.RecordingAuditTrail();
    private final RequestRelease requestRelease = new RequestRelease(registry, journal, locks, announcer, audit,
            new ProvenInStaging(new Environments(List.of()), deploy -> {
                throw new AssertionError("no environment must run it first");
            }, clock), names -> {
                throw new AssertionError("no bake configured");
            }, clock);
    private String released;
    private String candidate;

    @BeforeEach
    void world() {
        registry.createRepository(REPO, false);
        released = registry.push(REPO, manifest("r"), MEDIA, "release");
        candidate = registry.push(REPO, manifest("c"), MEDIA, "latest");
    }

    @Test
    void theRequestPinsTheDigestTheSourceTagNamesNowAndWaitsForApproval() {
        RequestRelease.Outcome outcome = requestRelease.request(prd(), DEV, "  fixes checkout ");

        assertThat(outcome).isInstanceOf(RequestRelease.Requested.class);
        ReleaseRequest stored = journal.pendingFor("prd").orElseThrow();
        assertThat(stored.state()).isEqualTo(ReleaseState.PENDING);
        assertThat(stored.kind()).isEqualTo(ReleaseRequest.Kind.RELEASE);
        assertThat(stored.candidate().digest()).isEqualTo(candidate);
        assertThat(stored.ask().previousDigest()).isEqualTo(released);
        assertThat(stored.ask().note()).isEqualTo("fixes checkout");
        assertThat(stored.ask().expiresAt()).isEqualTo(ReleaseTestData.NOW.plus(Duration.ofMinutes(30)));
        assertThat(announcer.told).containsExactly(new ReleaseNews.Requested());
    }

    @Test
    void anImagePushedToTheSourceTagAfterTheRequestIsNotWhatApproversApprove() {
        requestRelease.request(prd(), DEV, null);

        registry.push(REPO, manifest("n"), MEDIA, "latest");

        assertThat(journal.pendingFor("prd").orElseThrow().candidate().digest()).isEqualTo(candidate);
    }

    @Test
    void aLockedEnvironmentIsRefusedAndNothingIsAskedFor() {
        locks.lock(new EnvironmentLocks.Lock("prd", "U0LEAD", "incident 42", ReleaseTestData.NOW));

        RequestRelease.Outcome outcome = requestRelease.request(prd(), DEV, null);

        assertThat(outcome).isEqualTo(new RequestRelease.Refused(
                new Refusal.Locked("prd", "U0LEAD", "incident 42", ReleaseTestData.NOW)));
        assertThat(journal.pendingFor("prd")).isEmpty();
        assertThat(announcer.told).isEmpty();
    }

    @Test
    void aSecondRequestWhileOneIsPendingIsRefusedNamingTheFirst() {
        String first = ((RequestRelease.Requested) requestRelease.request(prd(), DEV, null)).request().id();

        RequestRelease.Outcome outcome = requestRelease.request(prd(), Actor.of("U0OTHER"), null);

        assertThat(outcome).isEqualTo(new RequestRelease.Refused(new Refusal.AlreadyPending("prd", first)));
        assertThat(announcer.told).hasSize(1);
    }

    @Test
    void aSourceTagNamingWhatIsReleasedAlreadyIsNothingToRelease() {
        registry.push(REPO, manifest("r"), MEDIA, "latest");

        RequestRelease.Outcome outcome = requestRelease.request(prd(), DEV, null);

        assertThat(outcome).isEqualTo(new RequestRelease.Refused(new Refusal.NothingToRelease("latest", "release", released)));
        assertThat(journal.pendingFor("prd")).isEmpty();
    }

    @Test
    void severalImagesOfWhichNoneChangedAreRefusedAsNoImageChanged() {
        registry.createRepository(WORKER, false);
        registry.push(WORKER, manifest("w"), MEDIA, "release", "latest");
        registry.push(REPO, manifest("r"), MEDIA, "latest");

        RequestRelease.Outcome outcome = requestRelease.request(prdWithWorker(), DEV, null);

        assertThat(outcome).isEqualTo(new RequestRelease.Refused(
                new Refusal.NoImageChanged("latest", "release", List.of(REPO, WORKER))));
        assertThat(journal.pendingFor("prd")).isEmpty();
    }

    @Test
    void anImageReleasedUnchangedAlongsideAChangedOneIsPinnedToWhatItRunsNow() {
        registry.createRepository(WORKER, false);
        String worker = registry.push(WORKER, manifest("w"), MEDIA, "release", "latest");

        requestRelease.request(prdWithWorker(), DEV, null);

        assertThat(journal.pendingFor("prd").orElseThrow().ask().images())
                .extracting(PinnedImage::repository, PinnedImage::digest, PinnedImage::changed)
                .containsExactly(tuple(REPO, candidate, true),
                        tuple(WORKER, worker, false));
    }

    @Test
    void aRepositoryWhoseTagsAreImmutableIsRefusedBeforeAnyoneApproves() {
        registry.createRepository("locked-app", true);
        registry.push("locked-app", manifest("r"), MEDIA, "release");
        registry.push("locked-app", manifest("c"), MEDIA, "latest");

        RequestRelease.Outcome outcome = requestRelease.request(environment(settings("locked-app",
                List.of(new Environment.ReleasedImage("locked-app", Optional.empty())))), DEV, null);

        assertThat(outcome).isEqualTo(new RequestRelease.Refused(new Refusal.TagsImmutable("locked-app", "release")));
        assertThat(journal.pendingFor("prd")).isEmpty();
        assertThat(announcer.told).isEmpty();
    }

    private static Environment prd() {
        return environment(settings(REPO, List.of(new Environment.ReleasedImage(REPO, Optional.empty()))));
    }

    private static Environment prdWithWorker() {
        return environment(settings(REPO, List.of(new Environment.ReleasedImage(REPO, Optional.of("web")),
                new Environment.ReleasedImage(WORKER, Optional.of("worker")))));
    }

    private static Environment.ReleaseSettings settings(String repository, List<Environment.ReleasedImage> images) {
        return new Environment.ReleaseSettings(repository, "latest", GENERATIONS, List.of("U0LEAD"), 1, false,
                Duration.ofMinutes(30), Optional.empty(), ".*", Environment.RollbackPolicy.SAFE, true, Optional.empty(),
                Optional.empty(), images);
    }

    private static Environment environment(Environment.ReleaseSettings settings) {
        return new Environment("prd", "C0PRD", List.of(), Optional.empty(), Optional.of(settings), Optional.empty());
    }
}
