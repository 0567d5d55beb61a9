package dev.deploybot.pipeline;

import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.deploy.DeploymentHandle;
import dev.deploybot.deploy.DeploymentStatus;
import dev.deploybot.deploy.FollowDeployment;
import dev.deploybot.deploy.ServiceDeployer;
import dev.deploybot.deploy.ServiceDeployers;
import dev.deploybot.release.ImageRegistry;
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

    public void ship(String requestId) {
        // One owner per call, not per process: two threads of one replica must not share a lease.
        String owner = UUID.randomUUID().toString();
        if (!journal.lease(requestId, owner, clock.instant(), clock.instant().plus(lease))) {
            return;
        }
        try {
            Optional<ReleaseRequest> request = journal.find(requestId);
            Optional<Environment> environment = request.flatMap(r -> environments.find(r.environment()));
            if (request.isEmpty() || environment.isEmpty() || environment.get().release().isEmpty()
                    || environment.get().deploy().isEmpty()) {
                LOG.warn("release {} has no configured environment any more; left as it is", requestId);
                return;
            }
            ship(request.get(), environment.get(), owner);
        } finally {
            journal.release(requestId, owner);
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
            LOG.info("release {} is being handled by another worker", request.id());
        }
    }

    /** Returns the request now deploying, or null when it ended here. */
    private ReleaseRequest promoteAndStart(ReleaseRequest request, Environment environment, ServiceDeployer deployer,
                                           Environment.DeploySettings settings) {
        Environment.ReleaseSettings release = environment.release().orElseThrow();
        if (promote.promote(request, release) instanceof PromoteImage.Refused refused) {
            fail(request, refused.reason());
            return null;
        }
        announcer.updated(request, "Tags moved; starting the deployment");
        String imageUri = registry.repositoryUri(release.repository()) + "@" + request.candidate().digest();
        DeploymentHandle handle = deployer.start(settings, request.candidate(), imageUri, request.id());
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
            audit.append(new AuditEntry(now, null, request.environment(), "release", "succeeded",
                    request.id() + " " + request.candidate().digest()));
            ReleaseRequest done = journal.find(request.id()).orElseThrow();
            announcer.detail(done, "Deployment finished: " + end.progress());
            announcer.updated(done, end.progress());
        } else {
            fail(request, end.failure() == null ? end.progress() : end.failure());
        }
    }

    private void fail(ReleaseRequest request, String reason) {
        Instant now = clock.instant();
        ReleaseState from = journal.find(request.id()).map(ReleaseRequest::state).orElse(request.state());
        if (!from.canMoveTo(ReleaseState.FAILED)) {
            return;
        }
        journal.transition(request.id(), from, ReleaseState.FAILED, "deploybot", now, reason);
        audit.append(new AuditEntry(now, null, request.environment(), "release", "failed", request.id() + " " + reason));
        ReleaseRequest failed = journal.find(request.id()).orElseThrow();
        announcer.detail(failed, "Failed: " + reason);
        announcer.updated(failed, reason);
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
        public DeploymentHandle start(Environment.DeploySettings settings, dev.deploybot.core.ImageRef image,
                                      String imageUri, String id) {
            renew();
            return deployer.start(settings, image, imageUri, id);
        }

        @Override
        public DeploymentStatus check(Environment.DeploySettings settings, DeploymentHandle handle) {
            renew();
            return deployer.check(settings, handle);
        }

        private void renew() {
            if (!journal.lease(requestId, owner, clock.instant(), clock.instant().plus(lease))) {
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
