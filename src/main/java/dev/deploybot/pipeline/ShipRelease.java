package dev.deploybot.pipeline;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.ImageRef;
import dev.deploybot.deploy.ContainerImages;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.deploy.FollowDeployment;
import dev.deploybot.deploy.ServiceDeployer;
import dev.deploybot.deploy.ServiceDeployers;
import dev.deploybot.release.ImageRegistry;
import dev.deploybot.release.PlanStep;
import dev.deploybot.release.PromoteImage;
import dev.deploybot.release.ReleaseAnnouncer;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.ReleaseState;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Takes an approved release to its end: promote the tags, start the deployment, follow it, report.
 * Safe to call for any request at any time, from any replica: a lease in the journal lets one worker
 * at a time act, and every step resumes from what the journal says was done.
 */
@Singleton
public class ShipRelease {
    private static final Logger LOG = LoggerFactory.getLogger(ShipRelease.class);
    private final Environments environments;
    private final ReleaseJournal journal;
    private final PromoteImage promote;
    private final ImageRegistry registry;
    private final ServiceDeployers deployers;
    private final FollowDeployment follow;
    private final ReleaseAnnouncer announcer;
    private final AuditTrail audit;
    private final Clock clock;
    private final Duration lease;
    private final Duration pollInterval;
    private volatile boolean stopping;

    public ShipRelease(Environments environments, ReleaseJournal journal, PromoteImage promote, ImageRegistry registry,
                       ServiceDeployers deployers, FollowDeployment follow, ReleaseAnnouncer announcer, AuditTrail audit,
                       Clock clock, @Value("${deploybot.release.lease:2m}") Duration lease,
                       @Value("${deploybot.deploy.poll-interval:10s}") Duration pollInterval) {
        this.environments = environments;
        this.journal = journal;
        this.promote = promote;
        this.registry = registry;
        this.deployers = deployers;
        this.follow = follow;
        this.announcer = announcer;
        this.audit = audit;
        this.clock = clock;
        this.lease = lease;
        this.pollInterval = pollInterval;
    }

    /** The process is stopping: releases being followed let go at their next look, to be resumed after. */
    @jakarta.annotation.PreDestroy
    void stop() {
        stopping = true;
    }

    /** Never throws: whatever stops it here is retried by housekeeping, from the journal, on the next round. */
    public void ship(String requestId) {
        // One owner per call, not per process: two threads of one replica must not share a lease.
        String owner = UUID.randomUUID().toString();
        try {
            if (!journal.lease(requestId, owner, clock.instant(), clock.instant().plus(lease))) {
                return;
            }
            Optional<ReleaseRequest> request = journal.find(requestId);
            Optional<Environment> environment = request.flatMap(r -> environments.find(r.environment()));
            if (request.isEmpty() || environment.isEmpty() || environment.get().release().isEmpty()
                    || environment.get().deploy().isEmpty()) {
                LOG.warn("release {} has no configured environment any more; left as it is", requestId);
                return;
            }
            ship(request.get(), environment.get(), owner);
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.info("release {} paused by shutdown; it resumes after the restart", requestId);
            } else {
                LOG.error("release {} stopped unexpectedly; housekeeping resumes it from the journal", requestId, e);
            }
        } finally {
            letGo(requestId, owner);
        }
    }

    private void letGo(String requestId, String owner) {
        try {
            journal.release(requestId, owner);
        } catch (RuntimeException e) {
            LOG.debug("could not release the lease of {}; it lapses by itself", requestId);
        }
    }

    private void ship(ReleaseRequest request, Environment environment, String owner) {
        Environment.DeploySettings settings = environment.deploy().orElseThrow();
        ServiceDeployer deployer = new LeaseKeepingDeployer(deployers.forStrategy(settings.strategy()), request.id(), owner);
        try {
            if (request.state() == ReleaseState.APPROVED) {
                request = promoteAndStart(request, environment, deployer, settings);
                if (request == null) {
                    return;
                }
            }
            if (request.state() == ReleaseState.DEPLOYING) {
                ReleaseRequest deploying = request;
                DeploymentStatus end = follow.follow(deployer, settings,
                        new DeploymentHandle(request.deploymentId(), request.deployedRevision()), pollInterval,
                        status -> announcer.updated(deploying, status.progress()));
                finish(request, end);
            }
        } catch (ExternalFailure failure) {
            if (failure.retryable()) {
                LOG.warn("release {} paused on a temporary failure, will resume: {}", request.id(), failure.getMessage());
                return;
            }
            fail(request, failure.service() + " said " + failure.code() + ": " + failure.detail());
        } catch (LeaseLost lost) {
            LOG.info("release {} is handled elsewhere now (another worker, or stopped by a rollback)", request.id());
        }
    }

    /** Returns the request now deploying, or null when it ended here. */
    private ReleaseRequest promoteAndStart(ReleaseRequest request, Environment environment, ServiceDeployer deployer,
                                           Environment.DeploySettings settings) {
        Environment.ReleaseSettings release = environment.release().orElseThrow();
        if (request.interrupted() != null) {
            stopInterrupted(request, deployer, settings);
        }
        if (promote.promote(request, release) instanceof PromoteImage.Refused refused) {
            fail(request, refused.reason());
            return null;
        }
        announcer.updated(request, "Tags moved; starting the deployment");
        String imageUri = registry.repositoryUri(release.repository()) + "@" + request.candidate().digest();
        DeploymentHandle handle = deployer.start(settings, ContainerImages.single(request.candidate(), imageUri), request.id());
        journal.deploymentStarted(request.id(), handle.id(), handle.revision());
        journal.transition(request.id(), ReleaseState.APPROVED, ReleaseState.DEPLOYING, "deploybot", clock.instant(), null);
        audit.append(new AuditEntry(clock.instant(), null, request.environment(), "deploy", "started",
                request.id() + " " + settings.strategy().name().toLowerCase() + " " + handle.id() + " " + handle.revision()));
        ReleaseRequest deploying = journal.find(request.id()).orElseThrow();
        announcer.detail(deploying, switch (settings.strategy()) {
            case ECS, CODEDEPLOY -> "Task definition registered: `" + handle.revision() + "`";
            case CODEBUILD -> "Production build started: `" + handle.id() + "`";
        });
        announcer.updated(deploying, "Deployment started");
        return deploying;
    }

    private void finish(ReleaseRequest request, DeploymentStatus end) {
        Instant now = clock.instant();
        if (end.phase() == DeploymentStatus.Phase.SUCCEEDED) {
            journal.transition(request.id(), ReleaseState.DEPLOYING, ReleaseState.SUCCEEDED, "deploybot", now, null);
            audit.append(new AuditEntry(now, null, request.environment(), request.kind().name().toLowerCase(), "succeeded",
                    request.id() + " " + request.candidate().digest()));
            ReleaseRequest done = journal.find(request.id()).orElseThrow();
            announcer.detail(done, "Deployment finished: " + end.progress());
            announcer.updated(done, end.progress());
        } else {
            fail(request, end.failure() == null ? end.progress() : end.failure());
        }
    }

    private void fail(ReleaseRequest request, String reason) {
        ReleaseState from = journal.find(request.id()).map(ReleaseRequest::state).orElse(request.state());
        if (!from.canMoveTo(ReleaseState.FAILED)) {
            return;
        }
        String outcome = reason + restoreTags(request);
        Instant now = clock.instant();
        journal.transition(request.id(), from, ReleaseState.FAILED, "deploybot", now, outcome);
        audit.append(new AuditEntry(now, null, request.environment(), request.kind().name().toLowerCase(), "failed",
                request.id() + " " + outcome));
        ReleaseRequest failed = journal.find(request.id()).orElseThrow();
        announcer.detail(failed, "Failed: " + outcome);
        announcer.updated(failed, outcome);
    }

    /**
     * With {@code on-failure: restore-tags}, a failed release puts the tags back so {@code release} names
     * what actually runs again. The restore is a recorded plan too: if it is cut off, the resumed release
     * fails again and finishes it. Answers what to add to the failure for people.
     */
    private String restoreTags(ReleaseRequest request) {
        Environment.ReleaseSettings settings = environments.find(request.environment()).flatMap(Environment::release).orElse(null);
        if (request.isRollback() || settings == null || !settings.restoreTagsOnFailure()
                || journal.plan(request.id(), PlanStep.Plan.PROMOTE).stream().noneMatch(PlanStep::done)) {
            return "";
        }
        return promote.restore(request, settings).stream()
                .filter(step -> step.tag().equals(settings.releaseTag()))
                .findFirst()
                .map(step -> " · tags restored: `" + step.tag() + "` is `" + ImageRef.shortDigest(step.manifest().digest()) + "` again")
                .orElse("");
    }

    /** A release this rollback stopped may still be deploying at AWS; stop it there (CodeDeploy rolls back). */
    private void stopInterrupted(ReleaseRequest rollback, ServiceDeployer deployer, Environment.DeploySettings settings) {
        journal.find(rollback.interrupted())
                .filter(release -> release.deploymentId() != null)
                .ifPresent(release -> {
                    deployer.stop(settings, new DeploymentHandle(release.deploymentId(), release.deployedRevision()));
                    announcer.detail(rollback, "Stopped the deployment of `" + release.candidate().shortDigest() + "`");
                });
    }

    /** Renews the lease on every look at the deployment, and stops when another worker took it over. */
    private final class LeaseKeepingDeployer implements ServiceDeployer {
        private final ServiceDeployer deployer;
        private final String requestId;
        private final String owner;

        LeaseKeepingDeployer(ServiceDeployer deployer, String requestId, String owner) {
            this.deployer = deployer;
            this.requestId = requestId;
            this.owner = owner;
        }

        @Override
        public Environment.Strategy strategy() {
            return deployer.strategy();
        }

        @Override
        public DeploymentHandle start(Environment.DeploySettings settings, ContainerImages images, String id) {
            renew();
            return deployer.start(settings, images, id);
        }

        @Override
        public DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle) {
            renew();
            if (journal.find(requestId).map(ReleaseRequest::state).orElse(null) != ReleaseState.DEPLOYING) {
                throw new LeaseLost(); // stopped by a rollback: someone else owns the environment now
            }
            return deployer.check(settings, handle);
        }

        @Override
        public void stop(Environment.DeploySettings settings, DeploymentHandle handle) {
            renew();
            deployer.stop(settings, handle);
        }

        private void renew() {
            if (stopping || !journal.lease(requestId, owner, clock.instant(), clock.instant().plus(lease))) {
                throw new LeaseLost();
            }
        }
    }

    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }
}
