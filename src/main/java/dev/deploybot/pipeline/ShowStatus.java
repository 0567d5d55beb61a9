package dev.deploybot.pipeline;

import dev.deploybot.activity.Outbox;
import dev.deploybot.activity.ReleaseThreads;
import dev.deploybot.core.AuditEntry;
import dev.deploybot.core.AuditTrail;
import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.release.EnvironmentLocks;
import dev.deploybot.release.ImageRegistry;
import dev.deploybot.release.Manifest;
import dev.deploybot.release.ReleaseJournal;
import dev.deploybot.release.ReleaseRequest;
import dev.deploybot.release.RunningServices;
import dev.deploybot.release.ServiceSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /deploy status [env]}: for each environment what ECS runs, what the generation tags name, whether they
 * disagree, and what the bot is doing there (a pending request, a running release, a lock). The AWS reads of all
 * environments run in parallel within one time budget; an environment whose reads do not finish in it shows as
 * unknown, so one stalled endpoint never makes the whole answer slow. Read-only.
 */
@Singleton
public class ShowStatus {
    private final Environments environments;
    private final RunningServices services;
    private final ImageRegistry registry;
    private final ReleaseJournal journal;
    private final EnvironmentLocks locks;
    private final Outbox outbox;
    private final AuditTrail audit;
    private final MeterRegistry meters;
    private final ExecutorService reads;
    private final Duration budget;
    private final Clock clock;

    public ShowStatus(Environments environments, RunningServices services, ImageRegistry registry, ReleaseJournal journal,
                      EnvironmentLocks locks, Outbox outbox, AuditTrail audit, MeterRegistry meters,
                      @Named("deploybot-reads") ExecutorService reads,
                      @Value("${deploybot.status.time-budget:2s}") Duration budget, Clock clock) {
        this.environments = environments;
        this.services = services;
        this.registry = registry;
        this.journal = journal;
        this.locks = locks;
        this.outbox = outbox;
        this.audit = audit;
        this.meters = meters;
        this.reads = reads;
        this.budget = budget;
        this.clock = clock;
    }

    /** What ECS runs, as far as it could be told in time. */
    public sealed interface Service permits Running, NoService, Unknown {
    }

    public record Running(ServiceSnapshot snapshot) implements Service {
    }

    /** The environment has no ECS service (it builds, or deploys through a CodeBuild project). */
    public record NoService() implements Service {
    }

    /** @param why "timed out", or the AWS error code */
    public record Unknown(String why) implements Service {
    }

    /**
     * @param tags    each generation tag and the digest it names, newest first (none without a release gate);
     *                empty when they could not be read
     * @param drift   the release tag names another digest than the service runs
     */
    public record EnvironmentStatus(String environment, Service service, Optional<Map<String, String>> tags, boolean drift,
                                    Optional<Request> pending, Optional<Request> running,
                                    Optional<EnvironmentLocks.Lock> lock) {
    }

    /** A request and where its message is; {@code messageTs} is null until the message was posted. */
    public record Request(ReleaseRequest request, String channel, String messageTs) {
    }

    public record Report(List<EnvironmentStatus> environments, Instant at) {
    }

    /** @param environment empty for every environment */
    public Report show(String userId, Optional<Environment> environment) {
        List<Environment> asked = environment.map(List::of).orElseGet(() -> List.copyOf(environments.all()));
        Instant started = clock.instant();
        List<Future<AwsFacts>> facts = new ArrayList<>();
        for (Environment each : asked) {
            facts.add(submit(each));
        }
        long deadline = System.nanoTime() + budget.toNanos();
        List<EnvironmentStatus> statuses = new ArrayList<>();
        for (int i = 0; i < asked.size(); i++) {
            Environment each = asked.get(i);
            AwsFacts aws = await(facts.get(i), deadline);
            String name = each.name();
            statuses.add(new EnvironmentStatus(name, aws.service(), aws.tags(), drift(each, aws),
                    journal.pendingFor(name).map(r -> request(each, r)), journal.runningFor(name).map(r -> request(each, r)),
                    locks.lockOf(name)));
        }
        meters.counter("deploybot.status.shown", "scope", environment.isPresent() ? "one" : "all").increment();
        audit.append(new AuditEntry(started, userId, environment.map(Environment::name).orElse("*"), "status", "shown", ""));
        return new Report(statuses, started);
    }

    private Request request(Environment environment, ReleaseRequest request) {
        return new Request(request, environment.channel(), outbox.messageTs(ReleaseThreads.messageKey(request.id())).orElse(null));
    }

    private record AwsFacts(Service service, Optional<Map<String, String>> tags) {
    }

    private Future<AwsFacts> submit(Environment environment) {
        try {
            return CompletableFuture.supplyAsync(() -> read(environment), reads);
        } catch (RejectedExecutionException full) {
            return CompletableFuture.completedFuture(new AwsFacts(new Unknown("busy"), Optional.empty()));
        }
    }

    private AwsFacts read(Environment environment) {
        Service service = new NoService();
        Optional<Environment.DeploySettings> deploy = environment.deploy()
                .filter(d -> d.strategy() != Environment.Strategy.CODEBUILD);
        if (deploy.isPresent()) {
            try {
                service = new Running(services.snapshot(deploy.get()));
            } catch (ExternalFailure failure) {
                service = new Unknown(failure.service() + " " + failure.code());
            }
        }
        // An environment without a release gate has no generation tags to tell.
        Optional<Map<String, String>> tags = Optional.of(Map.of());
        if (environment.release().isPresent()) {
            Environment.ReleaseSettings release = environment.release().get();
            try {
                Map<String, Manifest> manifests = registry.manifests(release.repository(), release.generationTags());
                Map<String, String> named = new LinkedHashMap<>();
                release.generationTags().forEach(tag -> {
                    if (manifests.containsKey(tag)) {
                        named.put(tag, manifests.get(tag).digest());
                    }
                });
                tags = Optional.of(named);
            } catch (ExternalFailure failure) {
                tags = Optional.empty();
            }
        }
        return new AwsFacts(service, tags);
    }

    private AwsFacts await(Future<AwsFacts> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // The read goes on within its client's own budget; nobody waits for it.
            meters.counter("deploybot.status.timeouts").increment();
            return new AwsFacts(new Unknown("timed out"), Optional.empty());
        } catch (ExecutionException e) {
            return new AwsFacts(new Unknown("failed"), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AwsFacts(new Unknown("interrupted"), Optional.empty());
        }
    }

    private static boolean drift(Environment environment, AwsFacts facts) {
        if (!(facts.service() instanceof Running running) || running.snapshot().digest().isEmpty()
                || facts.tags().isEmpty() || environment.release().isEmpty()) {
            return false;
        }
        String tagged = facts.tags().get().get(environment.release().get().releaseTag());
        return tagged != null && !running.snapshot().runs(tagged);
    }
}
