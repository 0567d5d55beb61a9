package dev.deploybot.release;

import dev.deploybot.core.Environment;
import dev.deploybot.core.Environments;
import dev.deploybot.core.ExternalFailure;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * "Promote only what a previous stage ran": a candidate may be released only while the required environment's
 * service runs exactly that digest, in its PRIMARY deployment, rollout COMPLETED, for at least the required time.
 * The deployment's own times say how long; a deployment still rolling out proves nothing yet.
 */
@Singleton
public class ProvenInStaging {
    private final Environments environments;
    private final RunningServices services;
    private final Clock clock;

    public ProvenInStaging(Environments environments, RunningServices services, Clock clock) {
        this.environments = environments;
        this.services = services;
        this.clock = clock;
    }

    public sealed interface Verdict permits Proven, NotRequired, RunsAnother, RollingOut, TooRecent, Unreadable {
    }

    /** @param since when the environment's rollout of the candidate completed */
    public record Proven(String environment, Instant since) implements Verdict {
    }

    public record NotRequired() implements Verdict {
    }

    /** @param running what the environment runs instead; empty when its image is named by a tag */
    public record RunsAnother(String environment, Optional<String> running, String taskDefinition) implements Verdict {
    }

    public record RollingOut(String environment, String rolloutState, Instant startedAt) implements Verdict {
    }

    public record TooRecent(String environment, Instant since, Duration required) implements Verdict {
    }

    /** What the environment runs could not be read: nothing is proven, so the release waits. */
    public record Unreadable(String environment, ExternalFailure failure) implements Verdict {
    }

    public Verdict check(Environment.ReleaseSettings settings, String candidateDigest) {
        if (settings.requires().isEmpty()) {
            return new NotRequired();
        }
        Environment.Requirement requirement = settings.requires().get();
        String name = requirement.environment();
        // Checked at start-up: the required environment exists and has an ECS service.
        Environment.DeploySettings deploy = environments.find(name).flatMap(Environment::deploy).orElseThrow();
        ServiceSnapshot snapshot;
        try {
            snapshot = services.snapshot(deploy);
        } catch (ExternalFailure failure) {
            return new Unreadable(name, failure);
        }
        if (!snapshot.runs(candidateDigest)) {
            return new RunsAnother(name, snapshot.digest(), snapshot.taskDefinition());
        }
        if (!snapshot.completed()) {
            return new RollingOut(name, snapshot.rolloutState(), snapshot.startedAt());
        }
        Instant since = snapshot.updatedAt();
        if (Duration.between(since, clock.instant()).compareTo(requirement.forAtLeast()) < 0) {
            return new TooRecent(name, since, requirement.forAtLeast());
        }
        return new Proven(name, since);
    }
}
