package dev.deploybot.deploy;

import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.Environment.MigrationSettings;
import dev.deploybot.core.ExternalFailure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs a release's migration task and waits until it stops or its timeout passes. A hiccup while looking
 * (throttling, a 5xx) is looked at again next time; the timeout counts from the task's creation, so resuming
 * after a restart does not give it more time.
 */
@Singleton
public class RunMigration {
    /** Enough of a stack trace or a migration tool's summary to say what went wrong, short enough for a message. */
    static final int LOG_LINES = 20;

    private final MigrationRunner runner;
    private final Clock clock;
    private final FollowDeployment.Sleeper sleeper;

    @Inject
    public RunMigration(MigrationRunner runner, Clock clock) {
        this(runner, clock, duration -> Thread.sleep(duration.toMillis()));
    }

    public RunMigration(MigrationRunner runner, Clock clock, FollowDeployment.Sleeper sleeper) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * @param stillOurs  asked before every look; the caller renews its right to wait here (its lease), and false
     *                   lets go at once, leaving the task to whoever resumes the release
     * @param onLaunched told the task once it is started or found again, before any wait (to show its logs link)
     */
    public MigrationOutcome run(DeploySettings service, MigrationSettings migration, ContainerImages images,
                                String releaseId, Duration pollInterval, BooleanSupplier stillOurs,
                                Consumer<MigrationTask> onLaunched) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
        }
        MigrationRunner.Launch launch = runner.launch(service, migration, images, releaseId);
        if (launch instanceof MigrationRunner.NotLaunched notLaunched) {
            return new MigrationOutcome.NotStarted(notLaunched.reason());
        }
        MigrationTask task = ((MigrationRunner.Launched) launch).task();
        onLaunched.accept(task);
        Instant deadline = task.createdAt().plus(migration.timeout());
        while (true) {
            if (!stillOurs.getAsBoolean()) {
                return new MigrationOutcome.Unfinished(task);
            }
            try {
                if (runner.look(service, task) instanceof MigrationRunner.Stopped stopped) {
                    return ended(task, stopped);
                }
            } catch (ExternalFailure failure) {
                if (!failure.retryable()) {
                    return new MigrationOutcome.Failed(task, OptionalInt.empty(), "could not follow the task: "
                            + failure.getMessage(), List.of());
                }
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                runner.stop(service, task, "deploybot: migration timed out after " + FollowDeployment.readable(migration.timeout()));
                return new MigrationOutcome.TimedOut(task, migration.timeout());
            }
            try {
                sleeper.sleep(pollInterval.compareTo(remaining) < 0 ? pollInterval : remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new MigrationOutcome.Unfinished(task);
            }
        }
    }

    private MigrationOutcome ended(MigrationTask task, MigrationRunner.Stopped stopped) {
        if (!stopped.neverStarted() && stopped.exitCode().equals(OptionalInt.of(0))) {
            return new MigrationOutcome.Succeeded(task);
        }
        List<String> tail = stopped.neverStarted() ? List.of() : runner.logTail(task, LOG_LINES);
        return new MigrationOutcome.Failed(task, stopped.exitCode(), stopped.reason(), tail);
    }
}
