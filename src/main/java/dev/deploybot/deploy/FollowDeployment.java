package dev.deploybot.deploy;

import dev.deploybot.core.Environment.DeploySettings;
import dev.deploybot.core.ExternalFailure;
import dev.deploybot.core.Progress;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Watches a started deployment until it ends or the environment's timeout passes. A hiccup while looking
 * (throttling, a 5xx, a dropped connection) is not the deployment failing: it is looked at again next time.
 */
@Singleton
public class FollowDeployment {

    /** Waits between looks; tests pass one that advances their clock instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Clock clock;
    private final Sleeper sleeper;

    @Inject
    public FollowDeployment(Clock clock) {
        this(clock, duration -> Thread.sleep(duration.toMillis()));
    }

    public FollowDeployment(Clock clock, Sleeper sleeper) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Polls {@code deployer.check} every {@code pollInterval} until the deployment finishes or
     * {@code settings.timeout()} has passed since this call.
     *
     * @param stillOurs asked before every look; the caller renews its right to follow here (its lease), and
     *                  false lets go at once
     * @param onChange  told each status whose phase or progress differs from the last one told, including the last
     * @return the final status: SUCCEEDED or FAILED (also for a timeout or a non-retryable failure while looking);
     *         IN_PROGRESS when the thread was interrupted (which stays flagged) or {@code stillOurs} said no, so a
     *         caller can resume later
     */
    public DeploymentStatus follow(ServiceDeployer deployer, DeploySettings settings, DeploymentHandle handle,
                                   Duration pollInterval, BooleanSupplier stillOurs, Consumer<DeploymentStatus> onChange) {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + pollInterval);
        }
        Instant deadline = clock.instant().plus(settings.timeout());
        Reporter reporter = new Reporter(onChange);
        ExternalFailure lastHiccup = null;
        while (true) {
            if (!stillOurs.getAsBoolean()) {
                return reporter.lastOrNotLooked();
            }
            try {
                DeploymentStatus status = deployer.check(settings, handle);
                lastHiccup = null;
                reporter.report(status);
                if (status.phase().finished()) {
                    return status;
                }
            } catch (ExternalFailure failure) {
                if (!failure.retryable()) {
                    return reporter.report(new DeploymentStatus(Progress.FAILED, reporter.lastProgress(), failure.getMessage()));
                }
                lastHiccup = failure;
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (remaining.isNegative() || remaining.isZero()) {
                String failure = "timed out after " + readable(settings.timeout())
                        + (lastHiccup == null ? "" : " (last error: " + lastHiccup.getMessage() + ")");
                return reporter.report(new DeploymentStatus(Progress.FAILED, reporter.lastProgress(), failure));
            }
            try {
                sleeper.sleep(pollInterval.compareTo(remaining) < 0 ? pollInterval : remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return reporter.lastOrNotLooked();
            }
        }
    }

    /** Tells onChange only what is news to people. */
    private static final class Reporter {
        private final Consumer<DeploymentStatus> onChange;
        private DeploymentStatus last;

        Reporter(Consumer<DeploymentStatus> onChange) {
            this.onChange = onChange;
        }

        DeploymentStatus report(DeploymentStatus status) {
            if (last == null || last.phase() != status.phase() || !last.progress().equals(status.progress())) {
                onChange.accept(status);
            }
            last = status;
            return status;
        }

        DeploymentStatus lastOrNotLooked() {
            return last != null ? last : new DeploymentStatus(Progress.IN_PROGRESS, "not looked at yet", null);
        }

        String lastProgress() {
            return last == null ? "not looked at yet" : last.progress();
        }
    }

    /** "1h 30m", "45s": how people write durations. */
    public static String readable(Duration duration) {
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(text.isEmpty() ? "" : " ").append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0 || text.isEmpty()) {
            text.append(text.isEmpty() ? "" : " ").append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }
}
