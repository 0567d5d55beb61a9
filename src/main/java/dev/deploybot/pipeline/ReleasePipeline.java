package dev.deploybot.pipeline;

import dev.deploybot.activity.AlarmLog;
import dev.deploybot.activity.AlarmStateChanged;
import dev.deploybot.config.LogContext;
import dev.deploybot.core.Actor;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.deploy.FollowDeployment;
import dev.deploybot.deploy.MigrationOutcome;
import dev.deploybot.deploy.MigrationTask;
import dev.deploybot.deploy.RunMigration;
import dev.deploybot.deploy.ServiceDeployer;
import dev.deploybot.deploy.ServiceDeployers;
import dev.deploybot.release.AlarmState;
import dev.deploybot.release.AlarmStates;
import dev.deploybot.release.ApprovalPolicy;
import dev.deploybot.release.ApproverDirectory;
import dev.deploybot.release.EnvironmentLocks;
import dev.deploybot.release.ImageRegistry;
import dev.deploybot.release.PlanStep;
import dev.deploybot.release.PromoteImage;
import dev.deploybot.release.PromotionPlan;
import dev.deploybot.release.Refusal;
import dev.deploybot.release.ReleaseAnnouncer;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseNews;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseRequest.Failure;
import dev.deploybot.release.ReleaseState;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one way a release request moves: decide → promote → deploy → follow → finish. Button clicks, rollbacks
 * and housekeeping all come here. Each step reads the request once, lets the aggregate decide, saves
 * conditionally on what it read, and tells the narrator (which stores, never waits on the chat service).
 * Safe to call for any request at any time, from any replica: a lease lets one worker at a time ship, and
 * every step resumes from what the journal says was done.
 */
@Singleton
public class ReleasePipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ReleasePipeline.class);
    /** A decision that loses a race reads again; past this many tries it is refused as no longer open. */
    private static final int DECISION_ATTEMPTS = 10;
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private final Environments environments;
    private final ReleaseJournal journal;
    private final ApproverDirectory directory;
    private final EnvironmentLocks locks;
    private final PromoteImage promote;
    private final ImageRegistry registry;
    private final ServiceDeployers deployers;
    private final FollowDeployment follow;
    private final RunMigration runMigration;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration lease;
    private final Duration pollInterval;
    private final Stopping stopping;
    private final AlarmStates alarms;
    private final AlarmLog alarmLog;
    private final ReleaseMeters meters;

    public ReleasePipeline(Environments environments, ReleaseJournal journal, ApproverDirectory directory, EnvironmentLocks locks,
                           PromoteImage promote, ImageRegistry registry, ServiceDeployers deployers, FollowDeployment follow,
                           RunMigration runMigration, ReleaseAnnouncer announcer, AuditTrail audit, Clock clock,
                           @Value("${deploybot.release.lease:2m}") Duration lease,
                           @Value("${deploybot.deploy.poll-interval:10s}") Duration pollInterval, Stopping stopping,
                           AlarmStates alarms, AlarmLog alarmLog, ReleaseMeters meters) {
        this.stopping = stopping;
        this.alarms = alarms;
        this.alarmLog = alarmLog;
        this.meters = meters;
        this.environments = environments;
        this.journal = journal;
        this.directory = directory;
        this.locks = locks;
        this.promote = promote;
        this.registry = registry;
        this.deployers = deployers;
        this.follow = follow;
        this.runMigration = runMigration;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
        this.lease = lease;
        this.pollInterval = pollInterval;
    }

    public sealed interface Outcome permits Shipped, Counted, Closed, Refused {
    }

    /** Approved, and taken as far as this call could: to its end, or paused to be resumed by housekeeping. */
    public record Shipped(ReleaseRequest request) implements Outcome {
    }

    public record Counted(ReleaseRequest request, int approvals, int required) implements Outcome {
    }

    /** Rejected or cancelled. */
    public record Closed(ReleaseRequest request) implements Outcome {
    }

    public record Refused(Refusal refusal) implements Outcome {
    }

    /** A click (or a rollback approving itself). An approval that decides ships the release on this thread. */
    public Outcome decide(String requestId, Actor actor, ReleaseRequest.Verdict verdict) {
        try (LogContext context = LogContext.release(requestId, null)) {
            return meters.decided(decideOnce(requestId, actor, verdict));
        }
    }

    private Outcome decideOnce(String requestId, Actor actor, ReleaseRequest.Verdict verdict) {
        Refusal lastRefusal = new Refusal.NoSuchRequest();
        for (int attempt = 0; attempt < DECISION_ATTEMPTS; attempt++) {
            Optional<ReleaseRequest> found = journal.find(requestId);
            Optional<Environment.ReleaseSettings> settings = found.flatMap(r -> environments.find(r.environment()))
                    .flatMap(Environment::release);
            if (found.isEmpty() || settings.isEmpty()) {
                return new Refused(new Refusal.NoSuchRequest());
            }
            ReleaseRequest request = found.get();
            Instant now = clock.instant();
            ReleaseRequest.Transition transition = transition(request, actor, verdict, new ApprovalPolicy(settings.get(), directory), now);
            if (transition instanceof ReleaseRequest.Refused refused) {
                return refuse(request, actor, verdict, refused.refusal());
            }
            ReleaseRequest changed = transition instanceof ReleaseRequest.Counted counted ? counted.request()
                    : ((ReleaseRequest.Moved) transition).request();
            if (verdict == ReleaseRequest.Verdict.APPROVE && !request.isRollback()) {
                Optional<Refusal.Locked> locked = locks.refusal(request.environment());
                if (locked.isPresent()) {
                    return refuse(request, actor, verdict, locked.get());
                }
            }
            if (changed.state() == ReleaseState.APPROVED && request.isRollback()) {
                Stop stop = stopRunningRelease(request, actor, now);
                if (stop instanceof Stop.Cannot cannot) {
                    return refuse(request, actor, verdict, cannot.refusal());
                }
                if (stop instanceof Stop.Stopped stopped) {
                    changed = changed.interrupting(stopped.releaseId());
                }
            }
            ReleaseJournal.Save save = journal.save(changed);
            if (save instanceof ReleaseJournal.EnvironmentBusy) {
                return refuse(request, actor, verdict, new Refusal.AnotherRunning(request.environment()));
            }
            if (save instanceof ReleaseJournal.Saved saved) {
                return decided(saved.request(), actor, transition, settings.get(), now);
            }
            lastRefusal = new Refusal.NotOpen(request.state(), request.decision().decidedBy());
        }
        return new Refused(lastRefusal);
    }

    private static ReleaseRequest.Transition transition(ReleaseRequest request, Actor actor, ReleaseRequest.Verdict verdict,
                                                        ApprovalPolicy policy, Instant now) {
        return switch (verdict) {
            case APPROVE -> request.approve(actor.userId(), policy.isApprover(actor.userId()), policy.rulesFor(request.kind()), now);
            case REJECT -> request.reject(actor.userId(), policy.isApprover(actor.userId()), now);
            case CANCEL -> request.cancel(actor.userId(), now);
        };
    }

    private Outcome decided(ReleaseRequest saved, Actor actor, ReleaseRequest.Transition transition,
                            Environment.ReleaseSettings settings, Instant now) {
        if (transition instanceof ReleaseRequest.Counted counted) {
            audit.append(new AuditEntry(now, actor.userId(), saved.environment(), "release", "approval",
                    saved.id() + " " + counted.approvals() + "/" + counted.required()));
            announcer.tell(saved, new ReleaseNews.ApprovalCounted(counted.approvals(), counted.required()));
            return new Counted(saved, counted.approvals(), counted.required());
        }
        if (saved.state() != ReleaseState.APPROVED) {
            audit.append(new AuditEntry(now, actor.userId(), saved.environment(), "release", saved.state().name().toLowerCase(), saved.id()));
            announcer.tell(saved, new ReleaseNews.Decided());
            return new Closed(saved);
        }
        audit.append(new AuditEntry(now, actor.userId(), saved.environment(), saved.kind().name().toLowerCase(), "approved",
                saved.id() + " " + saved.candidate().digest() + " replacing " + saved.ask().previousDigest()));
        if (saved.isRollback()) {
            // Keeps the next hasty /deploy from shipping the image that was just rolled away from.
            locks.lock(new EnvironmentLocks.Lock(saved.environment(), saved.requester(), "rolled back from "
                    + saved.ask().previousDigest(), now));
            audit.append(new AuditEntry(now, saved.requester(), saved.environment(), "lock", "locked", "rollback " + saved.id()));
        }
        announcer.tell(saved, new ReleaseNews.Decided());
        ship(saved);
        return new Shipped(saved);
    }

    /** Housekeeping: takes an approved or deploying request further, if nobody else is working on it. */
    public void resume(String requestId) {
        journal.find(requestId).ifPresent(this::ship);
    }

    /** Never throws: whatever stops it here is retried by housekeeping, from the journal, on the next round. */
    private void ship(ReleaseRequest read) {
        // One owner per call, not per process: two threads of one replica must not share a lease.
        String owner = UUID.randomUUID().toString();
        LogContext context = LogContext.release(read.id(), read.environment());
        try {
            if (!renew(read.id(), owner)) {
                return;
            }
            Optional<Environment> environment = environments.find(read.environment());
            if (environment.isEmpty() || environment.get().release().isEmpty() || environment.get().deploy().isEmpty()) {
                LOG.warn("release {} has no configured environment any more; left as it is", read.id());
                return;
            }
            ReleaseRequest request = read;
            while (request != null) {
                request = advance(request, environment.get(), owner);
            }
        } catch (ExternalFailure failure) {
            LOG.warn("release {} paused on a temporary failure, will resume: {}", read.id(), failure.getMessage());
        } catch (RuntimeException e) {
            if (stopping.now()) {
                LOG.info("release {} paused by shutdown; it resumes after the restart", read.id());
            } else {
                LOG.error("release {} stopped unexpectedly; housekeeping resumes it from the journal", read.id(), e);
            }
        } finally {
            letGo(read.id(), owner);
            context.close();
        }
    }

    /**
     * One step of the state machine; answers the request in its next state, or null when this worker is done
     * with it (finished, paused, or taken over). A new phase of a release is one more case here.
     */
    private ReleaseRequest advance(ReleaseRequest request, Environment environment, String owner) {
        Environment.DeploySettings settings = environment.deploy().orElseThrow();
        ServiceDeployer deployer = deployers.forStrategy(settings.strategy());
        try {
            return switch (request.state()) {
                case APPROVED -> promoteAndStart(request, environment.release().orElseThrow(), deployer, settings, owner);
                case MIGRATING -> migrateAndStart(request, environment.release().orElseThrow(), deployer, settings, owner);
                case DEPLOYING -> followToTheEnd(request, environment.release().orElseThrow(), deployer, settings, owner);
                case BAKING -> bake(request, environment.release().orElseThrow(), owner);
                default -> null;
            };
        } catch (ExternalFailure failure) {
            if (failure.retryable()) {
                throw failure;
            }
            return fail(request, new Failure(Failure.Cause.SERVICE_REFUSED, failure.service() + " said " + failure.code() + ": "
                    + failure.detail()), environment.release().orElseThrow());
        }
    }

    private ReleaseRequest promoteAndStart(ReleaseRequest request, Environment.ReleaseSettings release, ServiceDeployer deployer,
                                           Environment.DeploySettings settings, String owner) {
        if (request.deployment().interrupted() != null) {
            stopInterrupted(request, deployer, settings);
        }
        if (meters.promotion(request, () -> promote.promote(request, release)) instanceof PromoteImage.NotMoved notMoved) {
            return fail(request, notMoved.why(), release);
        }
        announcer.tell(request, new ReleaseNews.TagsMoved());
        if (!renew(request.id(), owner)) {
            return null;
        }
        if (settings.migration().isPresent()) {
            ReleaseJournal.Save save = request.startMigrating() instanceof ReleaseRequest.Moved moved
                    ? journal.save(moved.request()) : new ReleaseJournal.Stale();
            return save instanceof ReleaseJournal.Saved saved ? saved.request() : null;
        }
        return startDeployment(request, release, deployer, settings);
    }

    /**
     * Runs the environment's migration task (or waits for the one a restart left running: the runner finds it by
     * the release's marker) and deploys only when it exited 0. Any other end fails the release, which restores
     * the tags; nothing was deployed.
     */
    private ReleaseRequest migrateAndStart(ReleaseRequest request, Environment.ReleaseSettings release, ServiceDeployer deployer,
                                           Environment.DeploySettings settings, String owner) {
        if (settings.migration().isEmpty()) {
            return startDeployment(request, release, deployer, settings); // the operator removed it meanwhile
        }
        Environment.MigrationSettings migration = settings.migration().get();
        MigrationOutcome outcome = runMigration.run(settings, migration, images(request, release), request.id(), pollInterval,
                () -> renew(request.id(), owner), task -> {
                    audit.append(new AuditEntry(clock.instant(), null, request.environment(), "migration", "running",
                            request.id() + " " + task.id()));
                    announcer.tell(request, new ReleaseNews.Migrating(task.id(), task.logs().map(MigrationTask.LogStream::link)));
                });
        if (outcome instanceof MigrationOutcome.Succeeded succeeded) {
            audit.append(new AuditEntry(clock.instant(), null, request.environment(), "migration", "succeeded",
                    request.id() + " " + succeeded.task().id()));
            return renew(request.id(), owner) ? startDeployment(request, release, deployer, settings) : null;
        }
        if (outcome instanceof MigrationOutcome.Unfinished) {
            return null;
        }
        return fail(request, new Failure(Failure.Cause.MIGRATION, MigrationWords.of(outcome)), release);
    }

    /**
     * Every image the request pinned, each into its container: the changed ones at their new digest, the unchanged
     * ones at the digest the release tag named when it was asked for, so one revision pins them all.
     */
    private ContainerImages images(ReleaseRequest request, Environment.ReleaseSettings release) {
        return new ContainerImages(request.ask().images().stream().map(image -> new ContainerImages.Image(
                image.container().or(() -> configuredContainer(release, image.repository())), image.image(),
                registry.repositoryUri(image.repository()) + "@" + image.digest())).toList());
    }

    /** A request stored before requests named their containers takes the one its repository is configured for. */
    private static Optional<String> configuredContainer(Environment.ReleaseSettings release, String repository) {
        return release.images().stream().filter(image -> image.repository().equals(repository)).findFirst()
                .flatMap(Environment.ReleasedImage::container);
    }

    private ReleaseRequest startDeployment(ReleaseRequest request, Environment.ReleaseSettings release, ServiceDeployer deployer,
                                           Environment.DeploySettings settings) {
        DeploymentHandle handle = deployer.start(settings, images(request, release), request.id());
        ReleaseJournal.Save save = request.startDeploying(handle.id(), handle.revision()) instanceof ReleaseRequest.Moved moved
                ? journal.save(moved.request()) : new ReleaseJournal.Stale();
        if (!(save instanceof ReleaseJournal.Saved saved)) {
            return null; // changed meanwhile (stopped by a rollback): whoever changed it goes on from there
        }
        audit.append(new AuditEntry(clock.instant(), null, request.environment(), "deploy", "started",
                request.id() + " " + settings.strategy().name().toLowerCase() + " " + handle.id() + " " + handle.revision()));
        announcer.tell(saved.request(), new ReleaseNews.DeploymentStarted(settings.strategy(), handle.id(), handle.revision()));
        return saved.request();
    }

    /**
     * Follows the deployment, renewing the lease before every look. A lease is only granted on a running
     * request, so a release a rollback stopped lets go at its next look, like one another worker took over.
     */
    private ReleaseRequest followToTheEnd(ReleaseRequest request, Environment.ReleaseSettings release, ServiceDeployer deployer,
                                          Environment.DeploySettings settings, String owner) {
        DeploymentStatus end = follow.follow(deployer, settings,
                new DeploymentHandle(request.deployment().deploymentId(), request.deployment().revision()), pollInterval,
                () -> renew(request.id(), owner),
                status -> announcer.tell(request, new ReleaseNews.DeploymentProgress(status.progress())));
        return switch (end.phase()) {
            case IN_PROGRESS -> null;
            case SUCCEEDED -> release.bake().isPresent() && !request.isRollback() ? startBaking(request) : succeed(request, end);
            case FAILED -> fail(request, new Failure(Failure.Cause.DEPLOYMENT, end.failure() == null ? end.progress() : end.failure()), release);
        };
    }

    /** The deployment completed; the bake starts now, and its start is stored so a restart resumes it. */
    private ReleaseRequest startBaking(ReleaseRequest request) {
        Instant now = clock.instant();
        if (request.startBaking(now) instanceof ReleaseRequest.Moved moved && journal.save(moved.request()) instanceof ReleaseJournal.Saved saved) {
            audit.append(new AuditEntry(now, null, request.environment(), "bake", "started", request.id() + " " + request.candidate().digest()));
            return saved.request();
        }
        return null;
    }

    /**
     * Watches the bake alarms until the bake time has passed since its stored start: alarm events (stored by whichever
     * replica received them) at every look, {@code DescribeAlarms} at the start, every {@code check-interval} and at
     * the end, so a lost event cannot let a bad release pass. The newer of the two says an alarm's state. The bake
     * ends only on a successful read at its end; an alarm in ALARM rolls back at once.
     */
    private ReleaseRequest bake(ReleaseRequest request, Environment.ReleaseSettings release, String owner) {
        Environment.Bake bake = release.bake().orElse(new Environment.Bake(Duration.ZERO, List.of(), pollInterval));
        Instant endsAt = request.bakeEndsAt(bake.duration()).orElseThrow();
        Duration look = pollInterval.compareTo(bake.checkEvery()) < 0 ? pollInterval : bake.checkEvery();
        Instant nextRead = clock.instant();
        List<AlarmState> read = bake.alarms().stream().map(name -> new AlarmState(name, AlarmState.Condition.INSUFFICIENT_DATA, null, null)).toList();
        ReleaseNews.Baking told = null;
        while (renew(request.id(), owner)) {
            Instant now = clock.instant();
            boolean readNow = false;
            if (!now.isBefore(nextRead) || !now.isBefore(endsAt)) {
                try {
                    read = alarms.read(bake.alarms());
                    readNow = true;
                    nextRead = now.plus(bake.checkEvery());
                } catch (ExternalFailure failure) {
                    // The events still count meanwhile; CloudWatch is asked again at the next look.
                    LOG.warn("release {}: could not read its bake alarms, trying again: {}", request.id(), failure.getMessage());
                }
            }
            List<AlarmState> current = newest(read);
            Optional<AlarmState> firing = current.stream().filter(AlarmState::firing).findFirst();
            if (firing.isPresent()) {
                return rollBack(request, firing.get(), release);
            }
            if (!now.isBefore(endsAt) && readNow) {
                return finishBake(request, bake.duration());
            }
            ReleaseNews.Baking news = new ReleaseNews.Baking(Duration.between(now, endsAt).isNegative() ? Duration.ZERO
                    : Duration.between(now, endsAt), current, told == null);
            if (!news.sameAs(told)) {
                announcer.tell(request, news);
                told = news;
            }
            Duration left = Duration.between(clock.instant(), endsAt);
            if (!pause(left.isNegative() || left.isZero() || look.compareTo(left) < 0 ? look : left)) {
                return null;
            }
        }
        return null;
    }

    /** Each alarm's state from CloudWatch's answer or the latest stored event about it, whichever is newer. */
    private List<AlarmState> newest(List<AlarmState> read) {
        List<AlarmState> states = new ArrayList<>();
        for (AlarmState state : read) {
            Optional<AlarmStateChanged> event = alarmLog.latest(state.name())
                    .filter(change -> state.since() == null || change.occurredAt().isAfter(state.since()));
            states.add(event.map(change -> new AlarmState(state.name(), condition(change.state()), change.occurredAt(), change.reason()))
                    .orElse(state));
        }
        return states;
    }

    private static AlarmState.Condition condition(String state) {
        return switch (state) {
            case "OK" -> AlarmState.Condition.OK;
            case "ALARM" -> AlarmState.Condition.ALARM;
            default -> AlarmState.Condition.INSUFFICIENT_DATA;
        };
    }

    private ReleaseRequest finishBake(ReleaseRequest request, Duration bake) {
        Instant now = clock.instant();
        if (request.finishBake(bake, now) instanceof ReleaseRequest.Moved moved && journal.save(moved.request()) instanceof ReleaseJournal.Saved saved) {
            audit.append(new AuditEntry(now, null, request.environment(), request.kind().name().toLowerCase(), "succeeded",
                    request.id() + " " + request.candidate().digest() + " baked " + Duration.between(request.deployment().bakeStartedAt(), now)));
            meters.baked(ReleaseMeters.Bake.BAKED);
            meters.finished(saved.request());
            announcer.tell(saved.request(), new ReleaseNews.Finished("baked"));
        }
        return null;
    }

    /**
     * A bake alarm is in ALARM: at once and without asking anyone, the environment is locked and handed over to a
     * rollback that goes the way every rollback goes from its approval on (its plan, then the deployment of the image
     * before this release). Its plan puts every tag back exactly as this release found it, from the manifests this
     * release's plan recorded. The release's move out of BAKING is saved over the version read, together with the
     * rollback's opening: of two replicas that see the alarm, one rolls back.
     */
    private ReleaseRequest rollBack(ReleaseRequest release, AlarmState alarm, Environment.ReleaseSettings settings) {
        Instant now = clock.instant();
        Instant firedAt = alarm.since() == null ? now : alarm.since();
        if (!(release.alarmFired(alarm.name(), firedAt, now) instanceof ReleaseRequest.Moved moved)) {
            return null;
        }
        ReleaseRequest failed = moved.request();
        List<PlanStep> back = PromotionPlan.restore(journal.plan(release.id(), PlanStep.Plan.PROMOTE).stream().filter(PlanStep::done).toList());
        Optional<ReleaseRequest> rollback = failed.automaticRollback(automaticRollbackId(release), back, settings.releaseTag(), now);
        // Locked before the hand-over: a crash in between leaves the environment locked, never rolled back unlocked.
        locks.lock(new EnvironmentLocks.Lock(release.environment(), null, "auto-rolled back: alarm " + alarm.name() + " in ALARM at "
                + HOUR_MINUTE.format(firedAt), now));
        // A first release has nothing to go back to: it fails, and the lock stays.
        ReleaseJournal.Save save = rollback.isEmpty() ? journal.save(failed) : journal.handOver(failed, rollback.get(), back);
        if (!(save instanceof ReleaseJournal.Saved saved)) {
            return null; // another replica saw it first and rolls back
        }
        audit.append(new AuditEntry(now, null, release.environment(), "release", "failed",
                release.id() + " ALARM " + alarm.name() + " at " + firedAt));
        audit.append(new AuditEntry(now, null, release.environment(), "lock", "locked", "automatic rollback of " + release.id()));
        meters.baked(ReleaseMeters.Bake.ROLLED_BACK);
        meters.finished(saved.request());
        announcer.tell(saved.request(), new ReleaseNews.AlarmFired(alarm.name() + " in ALARM", rollback.isPresent()));
        rollback.flatMap(undo -> journal.find(undo.id())).ifPresent(undo -> {
            audit.append(new AuditEntry(now, null, undo.environment(), "rollback", "approved",
                    undo.id() + " automatic, " + undo.candidate().digest() + " replacing " + release.candidate().digest()));
            announcer.tell(undo, new ReleaseNews.Decided());
            ship(undo);
        });
        return null;
    }

    /** One id per release, so two replicas cannot both open a rollback of the same release. */
    private static String automaticRollbackId(ReleaseRequest release) {
        return UUID.nameUUIDFromBytes(("automatic rollback of " + release.id()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Waits until the next look; false when the process is stopping or the thread was interrupted (resumed later). */
    private boolean pause(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
            return !stopping.now();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ReleaseRequest succeed(ReleaseRequest request, DeploymentStatus end) {
        Instant now = clock.instant();
        if (request.succeed(now) instanceof ReleaseRequest.Moved moved && journal.save(moved.request()) instanceof ReleaseJournal.Saved saved) {
            audit.append(new AuditEntry(now, null, request.environment(), request.kind().name().toLowerCase(), "succeeded",
                    request.id() + " " + request.candidate().digest()));
            announcer.tell(saved.request(), new ReleaseNews.Finished(end.progress()));
            meters.finished(saved.request());
        }
        return null;
    }

    /**
     * With {@code on-failure: restore-tags}, a failed release puts the tags back so {@code release} names what
     * actually runs again. The restore is a recorded plan too: if it is cut off, the resumed release fails
     * again and finishes it.
     */
    private ReleaseRequest fail(ReleaseRequest request, Failure why, Environment.ReleaseSettings settings) {
        Instant now = clock.instant();
        if (!(request.fail(why, now) instanceof ReleaseRequest.Moved moved)) {
            return null;
        }
        ReleaseRequest failed = moved.request();
        if (!request.isRollback() && settings.restoreTagsOnFailure()
                && journal.plan(request.id(), PlanStep.Plan.PROMOTE).stream().anyMatch(PlanStep::done)) {
            List<PlanStep> restored = promote.restore(request);
            // The message names the default image's release tag; when only a sidecar moved, it names what it did before.
            Optional<String> releaseTag = restored.stream()
                    .filter(step -> step.repository().equals(request.candidate().repository()) && step.tag().equals(settings.releaseTag()))
                    .map(step -> step.manifest().digest()).findFirst()
                    .or(() -> restored.isEmpty() ? Optional.empty() : Optional.ofNullable(request.ask().previousDigest()));
            if (releaseTag.isPresent()) {
                failed = failed.restored(releaseTag.get());
            }
        }
        if (journal.save(failed) instanceof ReleaseJournal.Saved saved) {
            audit.append(new AuditEntry(now, null, request.environment(), request.kind().name().toLowerCase(), "failed",
                    request.id() + " " + why.cause() + " " + why.detail()));
            announcer.tell(saved.request(), new ReleaseNews.Finished(why.detail()));
            meters.finished(saved.request());
        }
        return null;
    }

    /** The states a rollback's approval may find the environment's running request in. */
    private sealed interface Stop {
        record Nothing() implements Stop {
        }

        record Stopped(String releaseId) implements Stop {
        }

        record Cannot(Refusal refusal) implements Stop {
        }
    }

    /**
     * A rollback cannot wait for a bad release to finish deploying: the release is marked stopped (which
     * frees the environment's running slot) and noted on the rollback, whose pipeline stops it at AWS.
     */
    private Stop stopRunningRelease(ReleaseRequest rollback, Actor actor, Instant now) {
        Optional<ReleaseRequest> running = journal.runningFor(rollback.environment());
        if (running.isEmpty() || running.get().id().equals(rollback.id())) {
            return new Stop.Nothing();
        }
        ReleaseRequest release = running.get();
        if (release.state() != ReleaseState.DEPLOYING && release.state() != ReleaseState.BAKING || release.isRollback()) {
            return new Stop.Cannot(new Refusal.Busy(release.kind(), release.environment(), release.state() == ReleaseState.APPROVED));
        }
        if (release.fail(new Failure(Failure.Cause.STOPPED_BY_ROLLBACK, rollback.requester()), now) instanceof ReleaseRequest.Moved moved
                && journal.save(moved.request()) instanceof ReleaseJournal.Saved saved) {
            audit.append(new AuditEntry(now, actor.userId(), release.environment(), "release", "stopped",
                    release.id() + " for rollback " + rollback.id()));
            announcer.tell(saved.request(), new ReleaseNews.Finished("stopped"));
            return new Stop.Stopped(release.id());
        }
        return new Stop.Nothing();
    }

    /**
     * A release this rollback stopped may still be deploying at AWS; stop it there (CodeDeploy rolls back). One that
     * was baking had finished deploying: there is nothing to stop.
     */
    private void stopInterrupted(ReleaseRequest rollback, ServiceDeployer deployer, Environment.DeploySettings settings) {
        journal.find(rollback.deployment().interrupted())
                .filter(release -> release.deployment().deploymentId() != null && release.deployment().bakeStartedAt() == null)
                .ifPresent(release -> {
                    deployer.stop(settings, new DeploymentHandle(release.deployment().deploymentId(), release.deployment().revision()));
                    announcer.tell(rollback, new ReleaseNews.DeploymentStopped(release.candidate().digest()));
                });
    }

    private Refused refuse(ReleaseRequest request, Actor actor, ReleaseRequest.Verdict verdict, Refusal refusal) {
        audit.append(new AuditEntry(clock.instant(), actor.userId(), request.environment(), "release",
                verdict.name().toLowerCase() + " refused", request.id() + ": " + refusal));
        return new Refused(refusal);
    }

    private boolean renew(String requestId, String owner) {
        return !stopping.now() && journal.lease(requestId, owner, clock.instant(), clock.instant().plus(lease));
    }

    private void letGo(String requestId, String owner) {
        try {
            journal.release(requestId, owner);
        } catch (RuntimeException e) {
            LOG.debug("could not release the lease of {}; it lapses by itself", requestId);
        }
    }
}
